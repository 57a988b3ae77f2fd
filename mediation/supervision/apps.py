from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "mediation.supervision"
    label = "supervision"
    verbose_name = _("一函两书")
