"""Gap-free document numbers per series and year.

A number is taken inside the transaction that creates the document, by locking
the series row (SELECT … FOR UPDATE). Concurrent registrations queue on that
row; a rolled-back registration rolls its number back too, so no gaps appear.
"""

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _


class DocumentSequence(models.Model):
    series = models.CharField(_("序列"), max_length=60)
    year = models.PositiveIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        app_label = "cases"
        verbose_name = _("文书编号序列")
        verbose_name_plural = _("文书编号序列")
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="unique_sequence_year")]

    def __str__(self) -> str:
        return f"{self.series}〔{self.year}〕{self.last}"


def next_number(series: str, year: int) -> int:
    """Take the next number of `series` in `year`. Must run inside a transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the transaction that uses the number")
    try:
        with transaction.atomic():
            DocumentSequence.objects.get_or_create(series=series, year=year)
    except IntegrityError:
        pass  # another transaction created the row first; lock it below
    row = DocumentSequence.objects.select_for_update().get(series=series, year=year)
    row.last += 1
    row.save(update_fields=["last"])
    return row.last
