from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClocksConfig(AppConfig):
    name = "mediation.clocks"
    label = "clocks"
    verbose_name = _("法定时限")
