from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "mediation.cases"
    label = "cases"
    verbose_name = _("调解案件")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from mediation.clocks import hooks as clock_hooks
        from mediation.lib.dbguard import ensure_guards_after_migrate

        from .audit import record_event
        from .selectors import cases_visible_to

        # Once per `migrate`: put back an append-only trigger that a table rebuild removed.
        post_migrate.connect(ensure_guards_after_migrate, sender=self, dispatch_uid="concord_ensure_guards")
        # The clocks sit below the cases: give them the case log and case visibility.
        clock_hooks.record_case_event.register(record_event)
        clock_hooks.cases_visible_to.register(cases_visible_to)
