"""The document filters (cn_date, cn_ordinal, yuan), for pages that show letters.

They live in the shared sandbox library (mediation.lib.documents.library)."""

from django import template

from mediation.lib.documents.library import cn_date, cn_ordinal, yuan

register = template.Library()
register.filter("cn_date", cn_date)
register.filter("cn_ordinal", cn_ordinal)
register.filter("yuan", yuan)
