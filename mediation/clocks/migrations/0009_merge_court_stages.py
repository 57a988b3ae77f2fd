"""Merge of the court stages (issue 8 B7) with the court-delegation clocks (B8)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("clocks", "0006_court_stages"), ("clocks", "0008_entrusted_summary_rule")]
    operations = []
