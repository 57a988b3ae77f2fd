"""The procedure events that start, stop, pause and resume clocks (issue 8 A2).

A step's service emits an event (`services.event_emit`); which clocks it starts or stops is
data on each `DeadlineRule` (`starts_on`, `stops_on`, `waived_on`, `pauses_on`, `resumes_on`),
so a new rule or a local variant is a row in the rule table, not code in a service.

An event is named `<thing>.<what happened>`. Its subject is the object the clock it starts
hangs on (the case, a confirmation request, a referral, a letter's recipient); stops look
for the rule's active clock on the subject first, then anywhere in the same case.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    # Intake and acceptance (T1–T5)
    CASE_RECEIVED = "case.received", _("调解组织收到调解申请")
    COURT_DELEGATED = "court.delegated", _("法院委派调解")
    COURT_ENTRUSTED = "court.entrusted", _("法院委托调解")
    COURT_ENTRUSTED_SUMMARY = "court.entrusted_summary", _("法院委托调解（简易程序）")
    CASE_ACCEPTED = "case.accepted", _("受理调解申请")
    # A court's case accepted by the union: the court's period (D10/D11) governs, not the union's D3.
    COURT_CASE_ACCEPTED = "court_case.accepted", _("受理法院委派（委托）的调解")
    # A case handled jointly with a people's mediation committee (DOMAIN §3.2 D5): emitted with
    # CASE_ACCEPTED when the case is marked so.
    JOINT_MEDIATION_ACCEPTED = "peoples_mediation.accepted", _("与人民调解委员会联合受理调解申请")
    CASE_NOT_ACCEPTED = "case.not_accepted", _("不予受理")
    CASE_REDIRECTED = "case.redirected", _("分流转办")
    # Mediation (T6–T8, T18, T21)
    MEDIATION_EXTENDED = "mediation.extended", _("双方同意延长调解期限")
    MEDIATION_PAUSED = "mediation.paused", _("调解中止（如等待工伤认定）")
    MEDIATION_RESUMED = "mediation.resumed", _("调解恢复")
    AGREEMENT_EFFECTIVE = "agreement.effective", _("调解协议生效")
    MEDIATION_FAILED = "mediation.failed", _("调解不成（终止调解）")
    CASE_WITHDRAWN = "case.withdrawn", _("申请人撤回或自行和解")
    # Confirmation of the agreement (T11–T13)
    JUDICIAL_CONFIRMATION_FILED = "judicial_confirmation.filed", _("申请司法确认")
    JUDICIAL_CONFIRMATION_ACCEPTED = "judicial_confirmation.accepted", _("法院受理司法确认申请")
    JUDICIAL_CONFIRMATION_EXTENDED = "judicial_confirmation.extended", _("经院长批准延长司法确认审查期限")
    JUDICIAL_CONFIRMATION_DECIDED = "judicial_confirmation.decided", _("法院作出是否确认的决定")
    ARBITRAL_REVIEW_FILED = "arbitral_review.filed", _("申请仲裁审查确认")
    ARBITRAL_REVIEW_DECIDED = "arbitral_review.decided", _("仲裁委员会作出审查决定")
    CONFIRMATION_SKIPPED = "confirmation.skipped", _("双方决定不申请确认")
    # Performance, payment order, enforcement (T9–T17)
    PAYMENT_ORDER_FILED = "payment_order.filed", _("申请支付令")
    PAYMENT_ORDER_ACCEPTED = "payment_order.accepted", _("法院受理支付令申请")
    PAYMENT_ORDER_DECIDED = "payment_order.decided", _("法院对支付令申请作出决定")
    PAYMENT_ORDER_ISSUED = "payment_order.issued", _("法院发出支付令")
    PAYMENT_ORDER_SERVED = "payment_order.served", _("支付令送达债务人")
    PAYMENT_ORDER_OBJECTED = "payment_order.objected", _("债务人对支付令提出书面异议")
    PAYMENT_ORDER_LAPSED = "payment_order.lapsed", _("支付令异议期届满，债务人既未清偿也未异议")
    ENFORCEMENT_FILED = "enforcement.filed", _("申请强制执行")
    ENFORCEMENT_CONCLUDED = "enforcement.concluded", _("法院执行完毕或终结执行")
    AGREEMENT_PERFORMED = "agreement.performed", _("协议履行完毕")
    # Referrals (T19–T20)
    ARBITRATION_REFERRED = "referral.arbitration.sent", _("转劳动仲裁")
    ARBITRATION_REFERRAL_DECIDED = "referral.arbitration.decided", _("仲裁委员会决定是否受理")
    # The arbitration that follows a referral (调解仲裁法 Arts. 29, 32, 43, 47–50; D13–D18).
    ARBITRATION_RECEIVED = "referral.arbitration.received", _("仲裁委员会收到仲裁申请")
    ARBITRATION_ACCEPTED = "referral.arbitration.accepted", _("仲裁委员会受理仲裁申请")
    ARBITRATION_TRIBUNAL_NOTIFIED = "referral.arbitration.tribunal_notified", _("书面通知当事人仲裁庭组成情况")
    ARBITRATION_EXTENDED = "referral.arbitration.extended", _("仲裁委员会主任批准延期裁决")
    ARBITRATION_AWARDED = "referral.arbitration.awarded", _("仲裁庭作出裁决")
    FINAL_AWARD_RECEIVED = "referral.arbitration.final_award_received", _("当事人收到终局裁决书")
    NON_FINAL_AWARD_RECEIVED = "referral.arbitration.award_received", _("当事人收到非终局裁决书")
    ARBITRATION_AWARD_CHALLENGED = "referral.arbitration.award_challenged", _("当事人就裁决起诉或申请撤销裁决")
    INSPECTION_REFERRED = "referral.inspection.sent", _("移送劳动保障监察")
    INSPECTION_REFERRAL_DECIDED = "referral.inspection.decided", _("劳动保障监察决定是否受理")
    LEGAL_AID_REFERRED = "referral.legal_aid.sent", _("转法律援助")
    LEGAL_AID_REFERRAL_DECIDED = "referral.legal_aid.decided", _("法律援助机构作出决定")
    PROSECUTION_REFERRED = "referral.support_prosecution.sent", _("提请检察院支持起诉")
    PROSECUTION_REFERRAL_DECIDED = "referral.support_prosecution.decided", _("检察院作出是否支持起诉的决定")
    LITIGATION_REFERRED = "referral.litigation.sent", _("督促程序终结，转入诉讼")
    LITIGATION_REFERRAL_DECIDED = "referral.litigation.decided", _("法院对诉讼作出处理")
    CASE_CLOSED = "case.closed", _("结案")
    # 一函两书 (DOMAIN §4)
    REMINDER_LETTER_ISSUED = "reminder_letter.issued", _("制发提示函")
    REMINDER_LETTER_ANSWERED = "reminder_letter.answered", _("用人单位回复提示函")
    OPINION_LETTER_ISSUED = "opinion_letter.issued", _("制发意见书")
    OPINION_LETTER_ANSWERED = "opinion_letter.answered", _("用人单位回复意见书")
    RECOMMENDATION_DELIVERED = "recommendation.delivered", _("建议书送达政府部门")
    RECOMMENDATION_DECIDED = "recommendation.decided", _("政府部门作出是否立案的决定")
    CLUE_CLOSED = "procuratorate_clue.closed", _("检察院办结移送线索")
    CLUE_FED_BACK = "procuratorate_clue.fed_back", _("检察院反馈线索办理结果")


EVENT_FIELDS = ("starts_on", "stops_on", "waived_on", "pauses_on", "resumes_on", "extended_on")


def referral_event(kind: str, what: str) -> str:
    """`referral.<kind>.sent|decided` for a ReferralKind value (e.g. "LEGAL_AID")."""
    return Event(f"referral.{kind.lower()}.{what}").value
