"""The case's stored tallies of 农民工 / 新就业形态 workers (from its own CaseWorker flags), so that
the cockpit sums cases instead of joining every worker; existing cases are counted once here."""

from django.db import migrations, models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce


def tallies_backfill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseWorker = apps.get_model("cases", "CaseWorker")

    def tally(flag):
        rows = (
            CaseWorker.objects.filter(case=OuterRef("pk"))
            .order_by()
            .values("case")
            .annotate(n=Count("id", filter=Q(**{flag: True})))
            .values("n")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

    Case.objects.update(
        workers_migrant=tally("is_migrant"), workers_nef=tally("is_new_employment_form")
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_merge_records")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="workers_migrant",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="其中农民工人数"
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="workers_nef",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="其中新就业形态人数"
            ),
        ),
        migrations.RunPython(tallies_backfill, migrations.RunPython.noop),
    ]
