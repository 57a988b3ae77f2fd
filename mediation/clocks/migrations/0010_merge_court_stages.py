"""Merge of the court stages (issue 8 B7) with the sweep indexes and the court-delegation clocks (B8)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("clocks", "0006_court_stages"), ("clocks", "0009_merge_sweep_court")]
    operations = []
