"""Merge of after-the-agreement (issue 8 B6/B7) with the court report (B8)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_claim_items"), ("cases", "0013_court_report")]
    operations = []
