from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "mediation.cases"
    label = "cases"
    verbose_name = _("调解案件")

    def ready(self):
        # The clocks sit below the cases: give them the case log and case visibility.
        from mediation.clocks import hooks as clock_hooks

        from .audit import record_event
        from .selectors import cases_visible_to

        clock_hooks.record_case_event.register(record_event)
        clock_hooks.cases_visible_to.register(cases_visible_to)
