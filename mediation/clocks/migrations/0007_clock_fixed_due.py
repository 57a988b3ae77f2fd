"""A clock whose due date another authority fixed: the delegating court's own date (D10, DOMAIN §3.4)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("clocks", "0003_rule_events")]
    operations = [
        migrations.AddField("clock", "due_fixed_on", models.DateField(
            blank=True, null=True, verbose_name="确定的届满日")),
        migrations.AddField("clock", "due_fixed_by", models.CharField(
            blank=True, max_length=200, verbose_name="确定届满日的机关及文书")),
    ]
