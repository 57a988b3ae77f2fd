"""What a referral records about its protective dates (issue 8 item B9), checked before it is saved.

* A referral to labour inspection names the day of the violation, or the end of a continuing one:
  older than two years, it is refused until the warning of 劳动保障监察条例 Art. 20 is acknowledged (D31).
* A referral to arbitration records the commission's receipt (D13), its acceptance (D14, D15), the
  tribunal notice, an extension approved by the chair, the award and its receipt by the parties with
  the kind of award (D16/D17 after a final award, D18 after a non-final one; 调解仲裁法 Arts. 29–50),
  and a party's suit or application to set the award aside, which ends those windows.

Used by `services.referrals_create` and `services.referral_update`, which write, audit and emit.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AwardKind, Case, Referral, ReferralKind
from .protective_selectors import Lookback, inspection_lookback


def _not_future(day: datetime.date, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("%(label)s不能晚于今天。") % {"label": label}, code="future_date")


def cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def inspection_lookback_check(case: Case, kinds: list[str], *, on: datetime.date,
                               violation_on: datetime.date | None, acknowledged: bool) -> Lookback | None:
    """D31 (劳动保障监察条例 Art. 20). Returns the look-back of an inspection referral, or None."""
    if ReferralKind.INSPECTION not in kinds:
        return None
    if violation_on is None:
        raise ValidationError(
            _("移送劳动保障监察须填写违法行为发生日期（连续或继续状态的，填写行为终了日期），"
              "以核对二年查处期限（《劳动保障监察条例》第二十条）。"), code="violation_on")
    if violation_on > on:
        raise ValidationError(_("违法行为发生日期不能晚于移送日期。"), code="violation_on")
    lookback = inspection_lookback(violation_on, referred_on=on, county=case.county)
    if lookback.expired and not acknowledged:
        raise ValidationError(
            _("违法行为发生（或终了）于%(v)s，至%(d)s已满二年，移送日%(on)s已超过二年。"
              "依《劳动保障监察条例》第二十条，违反劳动保障法律、法规或者规章的行为在2年内未被劳动保障行政部门发现，"
              "也未被举报、投诉的，劳动保障行政部门不再查处。确需移送的，请勾选“已知悉”后再提交；"
              "劳动者的金钱请求可另行申请仲裁。")
            % {"v": cn_date(violation_on), "d": cn_date(lookback.last_day), "on": cn_date(on)}, code="lookback")
    return lookback


ARBITRATION_DATES = (
    # (field, label, step) — what the arbitration liaison records after acceptance (D14, D15, D16–D18).
    ("tribunal_notified_on", gettext_lazy("仲裁庭组成通知日期"), "tribunal_notified"),
    ("award_on", gettext_lazy("裁决日期"), "awarded"),
)


def arbitration_record(referral: Referral, *, tribunal_notified_on=None, award_extension_days=None, award_on=None,
                       award_kind="", award_received_on=None,
                       award_challenged_on=None) -> list[tuple[str, datetime.date, dict]]:
    """Validate and set what the commission did after accepting (调解仲裁法 Arts. 32, 43, 47–50);
    returns the steps that newly happened, in order: (step, day, extra). The step names are
    "tribunal_notified", "extended", "awarded", "final_award_received", "award_received" and
    "award_challenged"; the referral service emits the procedure event of each."""
    steps: list[tuple[str, datetime.date, dict]] = []
    given = any(v for v in (tribunal_notified_on, award_extension_days, award_on, award_kind, award_received_on,
                            award_challenged_on))
    if not given:
        return steps
    if referral.kind != ReferralKind.ARBITRATION:
        raise ValidationError(_("仲裁庭组成、裁决等信息只适用于转劳动仲裁的移送。"), code="kind")
    if referral.accepted is not True or not referral.decided_on:
        raise ValidationError(_("请先记录仲裁委员会受理仲裁申请的决定及日期。"), code="order")
    for field, label, step in ARBITRATION_DATES:
        day = {"tribunal_notified_on": tribunal_notified_on, "award_on": award_on}[field]
        if day is None:
            continue
        _not_future(day, label)
        if day < referral.decided_on:
            raise ValidationError(_("%(l)s不能早于受理日期。") % {"l": label}, code="date_order")
        if getattr(referral, field) is None:
            steps.append((step, day, {}))
        elif getattr(referral, field) != day:
            raise ValidationError(_("%(l)s已记录，不能修改。") % {"l": label}, code="recorded")
        setattr(referral, field, day)
    if award_extension_days:
        if referral.award_on:
            raise ValidationError(_("已作出裁决，不能再延期。"), code="awarded")
        if not referral.award_extension_days:
            referral.award_extension_days = int(award_extension_days)
            steps.append(("extended", timezone.localdate(),
                          {"extension": {"days": int(award_extension_days), "applicant_consent": "",
                                         "respondent_consent": ""}}))
        elif int(award_extension_days) != referral.award_extension_days:
            raise ValidationError(_("延期裁决已记录，不能修改。"), code="extended")
    if award_received_on is not None:
        if not award_kind or award_kind not in AwardKind.values:
            raise ValidationError(_("请选择裁决类型（终局裁决或非终局裁决），以确定起诉、申请撤销的期限。"),
                                  code="award_kind")
        if not referral.award_on:
            raise ValidationError(_("请填写裁决日期。"), code="award_on")
        _not_future(award_received_on, _("收到裁决书日期"))
        if award_received_on < referral.award_on:
            raise ValidationError(_("收到裁决书日期不能早于裁决日期。"), code="date_order")
        if referral.award_received_on is None:
            final = award_kind == AwardKind.FINAL
            steps.append(("final_award_received" if final else "award_received", award_received_on, {}))
        elif award_kind != referral.award_kind or award_received_on != referral.award_received_on:
            raise ValidationError(_("裁决书的送达已记录，不能修改。"), code="award_received")
        referral.award_kind, referral.award_received_on = award_kind, award_received_on
    elif award_kind:
        if award_kind not in AwardKind.values:
            raise ValidationError(_("裁决类型无效。"), code="award_kind")
        if referral.award_received_on and award_kind != referral.award_kind:
            # Its windows (D16/D17 or D18) already run from the receipt, by the kind recorded then.
            raise ValidationError(_("裁决书的送达已记录，不能修改。"), code="award_received")
        referral.award_kind = award_kind
    if award_challenged_on is not None:
        if not referral.award_received_on:
            raise ValidationError(_("请先记录当事人收到裁决书的日期。"), code="order")
        _not_future(award_challenged_on, _("起诉或申请撤销裁决的日期"))
        if award_challenged_on < referral.award_received_on:
            raise ValidationError(_("起诉或申请撤销裁决的日期不能早于收到裁决书日期。"), code="date_order")
        if referral.award_challenged_on is None:
            steps.append(("award_challenged", award_challenged_on, {}))
        referral.award_challenged_on = award_challenged_on
    return steps
