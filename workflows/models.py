"""Process records of the flows and the routing of their tasks to agencies."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task

from parties.models import Agency, Role


class CaseProcess(Process):
    """One mediation case's run through CaseFlow."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("案件"), null=True, blank=True, on_delete=models.PROTECT, related_name="process"
    )
    # The outcome chosen by the step that just finished; read by the flow's gateways.
    outcome = models.CharField(_("环节结果"), max_length=40, blank=True)
    referral_kinds = models.JSONField(_("转出去向"), default=list, blank=True)

    class Meta:
        verbose_name = _("案件流程")
        verbose_name_plural = _("案件流程")


class TaskAddress(models.Model):
    """To which agency and role a task is addressed (DOMAIN §5.5 AgencyTask).

    The inbox of a user lists the open tasks addressed to their agency and one of
    their roles, plus the tasks assigned to them.
    """

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="address")
    agency = models.ForeignKey(Agency, verbose_name=_("承办机构"), on_delete=models.PROTECT, related_name="task_addresses")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("任务去向")
        verbose_name_plural = _("任务去向")
        indexes = [models.Index(fields=["agency", "role"])]

    def __str__(self) -> str:
        return f"{self.agency} / {self.get_role_display()}"
