from celery import shared_task
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from mediation.notifications.services import notify

from . import services
from .models import Attachment, Case, CaseDocument, CaseStatus


def _default_notice(case: Case) -> str:
    """What the mediator may do now, from the ways out the follow-up offers (services.performance_paths)."""
    paths = services.performance_paths(case)
    if "enforcement" in paths:
        text = _("%(no)s 有到期款项未支付，已登记为逾期未履行：协议已经确认，可申请人民法院强制执行。")
    elif "payment_order" in paths:
        text = _("%(no)s 有到期款项未支付，已登记为逾期未履行：可申请支付令（符合条件的请求事项）或申请仲裁。")
    else:
        text = _("%(no)s 有到期款项未支付，已登记为逾期未履行：协议所涉事项不能申请支付令，可申请仲裁。")
    return text % {"no": case.case_no}


@shared_task(name="mediation.cases.tasks.mark_defaults")
def mark_defaults() -> int:
    """T14: the day after an instalment date passes unpaid, the case is in default (DOMAIN §2.4)."""
    today = timezone.localdate()
    due = (
        Case.objects.filter(
            status__in=[CaseStatus.AGREEMENT_EFFECTIVE, CaseStatus.CONFIRMED, CaseStatus.PERFORMING],
            agreement__instalments__paid_on__isnull=True, agreement__instalments__due_on__lt=today,
        ).values_list("pk", flat=True).distinct()
    )
    marked = 0
    for case in Case.objects.filter(pk__in=list(due)).select_related("lead_mediator"):
        try:
            services.case_record_default(case=case, actor=None, on=today, note=_("系统按履行期限自动登记"))
        except ValidationError:
            continue  # paid or moved on since the query
        marked += 1
        if case.lead_mediator_id:
            notify(recipients=[case.lead_mediator], verb="case_defaulted",
                   text=_default_notice(case), url=f"/cases/{case.pk}/", dedupe_key=f"case:{case.pk}:defaulted:{today}")
    return marked


@shared_task(name="mediation.cases.tasks.sweep_orphan_uploads")
def sweep_orphan_uploads() -> int:
    """Remove files under cases/ that no Attachment or CaseDocument row references (their
    transaction rolled back in a process that died before it could clean up). Printed
    documents and case files live under cases/<id>/documents/ and must be kept."""
    from mediation.lib.uploads import sweep_orphans

    field = Attachment._meta.get_field("file")
    referenced = set(Attachment.objects.values_list("file", flat=True))
    referenced |= set(CaseDocument.objects.values_list("pdf", flat=True))
    return len(sweep_orphans(storage=field.storage, directory="cases", referenced=referenced))


@shared_task(name="mediation.cases.tasks.purge_submission_tokens")
def purge_submission_tokens() -> int:
    """Daily: forget the one-time form tokens older than CONCORD_SUBMISSION_TOKEN_DAYS."""
    from mediation.lib.idempotency import tokens_purge

    return tokens_purge()
