"""The reminder sweep's UPDATE becomes a HOT update on PostgreSQL (issue 8, performance).

A HOT update writes the new row version on the same page and touches no index, but only
if no indexed column changes. The sweep writes reminder_stage and next_reminder_on, and
the old sweep index held next_reminder_on: each reminder rewrote all nine indexes of the
table. The sweep now finds its clocks through warn_on (never written by the sweep), and
the table keeps half of each page free, so that even the worst day (every running clock
reminded at once) finds room on the page for the new versions. The index on rule_id goes:
no query looks clocks up by rule version, and rule versions are never deleted.
"""

from django.db import migrations, models
from django.db.models.deletion import PROTECT

FILLFACTOR = 50


def set_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE clocks_clock SET (fillfactor = {FILLFACTOR})")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE clocks_clock RESET (fillfactor)")


class Migration(migrations.Migration):

    dependencies = [
        ("clocks", "0003_rule_events"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="clock", name="clock_sweep_idx"),
        migrations.AlterField(
            model_name="clock",
            name="rule",
            field=models.ForeignKey(db_index=False, on_delete=PROTECT, related_name="clocks",
                                    to="clocks.deadlinerule", verbose_name="规则版本"),
        ),
        migrations.AddIndex(
            model_name="clock",
            index=models.Index(condition=models.Q(("status", "running")), fields=["warn_on"],
                               name="clock_sweep_warn_idx"),
        ),
        # Applies to pages written from now on; existing pages get the room at their next
        # rewrite (VACUUM FULL, or as rows move). Not needed for correctness.
        migrations.RunPython(set_fillfactor, reset_fillfactor, elidable=True),
    ]
