from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("业务流程")

    def ready(self):
        # The case and supervision pages sit below the flows: give them the flow's entry points.
        from mediation.cases import hooks as case_hooks
        from mediation.supervision import hooks as supervision_hooks

        from . import engine, selectors, services, supervision_flow

        case_hooks.open_tasks_for_case.register(selectors.open_tasks_for_case)
        case_hooks.inbox_for.register(selectors.inbox_for)
        case_hooks.case_extend.register(services.case_extend)
        case_hooks.case_clocks_pause.register(services.case_clocks_pause)
        case_hooks.case_clocks_resume.register(services.case_clocks_resume)
        case_hooks.case_withdraw.register(services.case_withdraw)
        case_hooks.user_may_act.register(engine.user_may_act)
        supervision_hooks.matter_open.register(supervision_flow.matter_open)
        supervision_hooks.referral_open.register(supervision_flow.referral_open)
        supervision_hooks.case_open.register(services.case_open)
        supervision_hooks.user_may_act.register(engine.user_may_act)
