"""Forms of the case pages. They parse and label input; the services decide."""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parties.forms import CreditCodeField, PhoneField
from parties.models import Agency, County, EmployerKind, Industry
from parties.validators import (
    normalize_code,
    normalize_phone,
    validate_mobile,
    validate_resident_id,
)

from .models import (
    MAX_AMOUNT,
    AgentKind,
    AwardKind,
    Channel,
    ClaimItem,
    ClosingCode,
    ConfirmationPath,
    CourtFollowUp,
    CourtProcedure,
    DisputeType,
    EmploymentForm,
    ReferralKind,
    RequestDecision,
    RespondentRole,
    SessionForm,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TRUTHY = {"是", "代表", "y", "yes", "1", "true", "√", "✓"}


def money_field(label, required=True):
    return forms.DecimalField(
        label=label, required=required, min_value=Decimal("0"), max_value=MAX_AMOUNT, decimal_places=2,
        max_digits=12,
        error_messages={
            "min_value": _("金额不能为负数。"),
            "max_value": _("金额超过一亿元，请核对是否输入有误。"),
            "invalid": _("请输入有效的金额（元，最多两位小数）。"),
            "max_decimal_places": _("金额最多保留两位小数。"),
        },
    )


MIGRANT_MARKS = {"农民工", "进城务工", "进城务工人员", "migrant"}


def parse_worker_lines(text: str) -> tuple[list[dict], list[str]]:
    """One worker a line: 姓名，身份证号，手机号，请求金额[，代表][，农民工].

    The 农民工 flag is set only for the lines that say so (issue 9 item 4). ID numbers, phones
    and amounts are normalised (full-width digits, look-alike X) before they are validated.
    Returns (workers, errors by line).
    """
    workers, errors = [], []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in re.split(r"[,，、\t;；]", line)]
        if len(parts) < 4:
            errors.append(_("第%(n)d行：应为“姓名，身份证号，手机号，请求金额[，代表][，农民工]”。") % {"n": lineno})
            continue
        name, id_number, phone, amount = parts[:4]
        id_number, phone = normalize_code(id_number), normalize_phone(phone)
        amount = unicodedata.normalize("NFKC", amount).replace(" ", "")
        marks = {p.lower() for p in parts[4:]}
        rep = bool(marks & TRUTHY)
        migrant = bool(marks & MIGRANT_MARKS)
        unknown = [p for p in parts[4:] if p and p.lower() not in TRUTHY | MIGRANT_MARKS]
        line_errors = []
        if not name:
            line_errors.append(str(_("缺少姓名")))
        elif len(name) > 40:
            line_errors.append(str(_("姓名不能超过40个字")))
        if unknown:
            line_errors.append(str(_("无法识别的标注“%(m)s”（可写“代表”或“农民工”）") % {"m": "、".join(unknown)}))
        try:
            validate_resident_id(id_number)
        except ValidationError as exc:
            line_errors.extend(exc.messages)
        try:
            validate_mobile(phone)
        except ValidationError as exc:
            line_errors.extend(exc.messages)
        try:
            value = Decimal(amount.replace("元", "").replace(",", ""))
            if not value.is_finite():
                raise InvalidOperation
            value = value.quantize(Decimal("0.01"))
            if value < 0:
                line_errors.append(str(_("请求金额不能为负数")))
            elif value > MAX_AMOUNT:
                line_errors.append(str(_("请求金额超过一亿元，请核对")))
        except InvalidOperation:
            line_errors.append(str(_("请求金额不是有效数字")))
            value = None
        if line_errors:
            errors.append(_("第%(n)d行（%(name)s）：%(e)s") % {"n": lineno, "name": name or "?", "e": "；".join(line_errors)})
            continue
        workers.append({"name": name, "id_number": id_number, "phone": phone,
                        "amount_claimed": value, "is_representative": rep, "is_migrant": migrant})
    return workers, errors


class RegistrationForm(forms.Form):
    channel = forms.ChoiceField(label=_("来源渠道"), choices=Channel.choices)
    received_on = forms.DateField(label=_("收件日期"), widget=DATE_INPUT)
    county = forms.ChoiceField(label=_("县区"), choices=County.choices)
    town = forms.CharField(label=_("镇/街道"), max_length=60, required=False)
    title = forms.CharField(label=_("案由摘要"), max_length=200)
    facts = forms.CharField(label=_("事实与理由"), widget=forms.Textarea(attrs={"rows": 4}))
    industry = forms.ChoiceField(label=_("行业"), choices=Industry.choices)
    employment_form = forms.ChoiceField(label=_("用工形式"), choices=EmploymentForm.choices)
    workers = forms.CharField(
        label=_("申请人（劳动者）"),
        help_text=_("每行一名：姓名，身份证号，手机号，请求金额（元）[，代表][，农民工]。十人以上的集体争议请标注推举的代表；"
                    "是农民工（进城务工人员）的，在该行末尾写“农民工”，未写的不作农民工统计。"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    employer_name = forms.CharField(label=_("被申请人单位名称"), max_length=120)
    employer_credit_code = CreditCodeField(label=_("统一社会信用代码"), max_length=18)
    employer_legal_rep = forms.CharField(label=_("法定代表人/负责人"), max_length=40)
    employer_phone = PhoneField(label=_("单位联系电话"), max_length=20, required=False)
    employer_kind = forms.ChoiceField(label=_("单位类型"), choices=EmployerKind.choices)
    employer_role = forms.ChoiceField(label=_("被申请人角色"), choices=RespondentRole.choices)
    other_name = forms.CharField(label=_("其他责任主体名称（可选）"), max_length=120, required=False)
    other_credit_code = CreditCodeField(label=_("其他责任主体信用代码"), max_length=18, required=False)
    other_legal_rep = forms.CharField(label=_("其他责任主体负责人"), max_length=40, required=False)
    other_role = forms.ChoiceField(label=_("其他责任主体角色"), choices=RespondentRole.choices, required=False)
    claim_type = forms.ChoiceField(label=_("争议类型"), choices=DisputeType.choices)
    claim_subtype = forms.CharField(label=_("具体诉求"), max_length=40)
    claim_item = forms.ChoiceField(
        label=_("请求项目"), choices=[("", _("按具体诉求自动判断"))] + ClaimItem.choices, required=False,
        help_text=_("决定能否申请支付令：劳动报酬（含加班费）、工伤医疗费、经济补偿、赔偿金可以（调解仲裁法第十六条）。"))
    claim_basis = forms.CharField(label=_("诉求依据"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    claim_knew_on = forms.DateField(
        label=_("知道或者应当知道权利被侵害之日"), widget=DATE_INPUT, required=False,
        help_text=_("仲裁时效自该日起算一年（《劳动争议调解仲裁法》第二十七条）"))
    claim_employment_continuing = forms.BooleanField(label=_("劳动关系仍存续"), required=False)
    claim_employment_ended_on = forms.DateField(
        label=_("劳动关系终止日期"), widget=DATE_INPUT, required=False,
        help_text=_("拖欠劳动报酬的，劳动关系存续期间不受一年时效限制，终止的自终止之日起一年内申请仲裁"))
    extra_claim_type = forms.ChoiceField(label=_("另一项争议类型（可选）"), choices=[("", "—")] + DisputeType.choices,
                                         required=False)
    extra_claim_subtype = forms.CharField(label=_("另一项具体诉求"), max_length=40, required=False)
    extra_claim_item = forms.ChoiceField(label=_("另一项请求项目"), choices=[("", _("按具体诉求自动判断"))] + ClaimItem.choices,
                                         required=False)
    extra_claim_amount = money_field(_("另一项请求金额（元）"), required=False)
    extra_claim_knew_on = forms.DateField(label=_("另一项：知道或者应当知道权利被侵害之日"), widget=DATE_INPUT,
                                          required=False)
    extra_claim_employment_continuing = forms.BooleanField(label=_("另一项：劳动关系仍存续"), required=False)
    extra_claim_employment_ended_on = forms.DateField(label=_("另一项：劳动关系终止日期"), widget=DATE_INPUT,
                                                      required=False)
    joint_peoples_mediation = forms.BooleanField(
        label=_("与人民调解委员会联合调解"), required=False,
        help_text=_("另计人民调解期限：一般一个月（《人民调解工作若干规定》第三十三条）"))
    source_agency = forms.ModelChoiceField(label=_("委派/转交机构"), queryset=Agency.objects.none(), required=False)
    source_ref = forms.CharField(label=_("来源文号（法院诉前调号、仲裁案号等）"), max_length=80, required=False)
    hotline_ticket = forms.CharField(label=_("12351热线工单号"), max_length=60, required=False)
    court_due_date = forms.DateField(label=_("法院委派期限"), widget=DATE_INPUT, required=False,
                                     help_text=_("委派（委托）文书载明调解期限届满日的填写；未载明的按法定期限计算。"))
    court_procedure = forms.ChoiceField(label=_("法院审理程序（委托调解）"), choices=[("", "—"), *CourtProcedure.choices],
                                        required=False)
    confirm_duplicate = forms.BooleanField(
        label=_("已核对：同一劳动者与同一单位已有未结案件，仍要登记新案件"), required=False)

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["source_agency"].queryset = Agency.objects.exclude(kind="UNION").order_by("kind", "county")
        if agency.is_union:
            self.fields["county"].initial = agency.county
            self.fields["channel"].choices = [c for c in Channel.choices
                                              if c[0] not in (Channel.COURT_DELEGATED, Channel.ARB_REFERRED)] + [
                c for c in Channel.choices if c[0] in (Channel.COURT_DELEGATED, Channel.ARB_REFERRED)]
        self.fields["received_on"].initial = timezone.localdate()

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise ValidationError(_("收件日期不能晚于今天。"))
        return day

    def clean_workers(self):
        workers, errors = parse_worker_lines(self.cleaned_data["workers"])
        if errors:
            raise ValidationError([str(e) for e in errors])
        if not workers:
            raise ValidationError(_("至少填写一名劳动者。"))
        return workers

    def clean(self):
        data = super().clean()
        if data.get("other_name") and not data.get("other_credit_code"):
            self.add_error("other_credit_code", _("请填写其他责任主体的统一社会信用代码。"))
        if data.get("extra_claim_type") and not data.get("extra_claim_subtype"):
            self.add_error("extra_claim_subtype", _("请填写另一项具体诉求。"))
        today = timezone.localdate()
        for prefix in ("claim_", "extra_claim_"):
            knew, ended = data.get(f"{prefix}knew_on"), data.get(f"{prefix}employment_ended_on")
            if knew and knew > today:
                self.add_error(f"{prefix}knew_on", _("知道或者应当知道权利被侵害之日不能晚于今天。"))
            if ended and ended > today:
                self.add_error(f"{prefix}employment_ended_on", _("劳动关系终止日期不能晚于今天。"))
            elif ended and data.get(f"{prefix}employment_continuing"):
                self.add_error(f"{prefix}employment_ended_on", _("劳动关系仍存续的，不应填写劳动关系终止日期。"))
        return data

    def _claim_dates(self, prefix: str) -> dict:
        d = self.cleaned_data
        return {"knew_on": d.get(f"{prefix}knew_on"),
                "employment_continuing": bool(d.get(f"{prefix}employment_continuing")),
                "employment_ended_on": d.get(f"{prefix}employment_ended_on")}

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        workers = d["workers"]
        respondents = [{
            "name": d["employer_name"], "credit_code": d["employer_credit_code"],
            "legal_representative": d["employer_legal_rep"], "contact_phone": d.get("employer_phone", ""),
            "kind": d["employer_kind"], "county": d["county"], "industry": d["industry"], "role": d["employer_role"],
        }]
        if d.get("other_name"):
            respondents.append({
                "name": d["other_name"], "credit_code": d["other_credit_code"],
                "legal_representative": d.get("other_legal_rep") or "—", "county": d["county"],
                "industry": d["industry"], "role": d.get("other_role") or RespondentRole.GENERAL_CONTRACTOR,
            })
        total = sum((w["amount_claimed"] for w in workers), Decimal("0"))
        claims = [{"dispute_type": d["claim_type"], "subtype": d["claim_subtype"], "amount_claimed": total,
                   "basis": d.get("claim_basis", ""), "item": d.get("claim_item") or "",
                   **self._claim_dates("claim_")}]
        if d.get("extra_claim_type"):
            claims.append({"dispute_type": d["extra_claim_type"], "subtype": d["extra_claim_subtype"],
                           "amount_claimed": d.get("extra_claim_amount") or 0, "item": d.get("extra_claim_item") or "",
                           **self._claim_dates("extra_claim_")})
        return dict(
            channel=d["channel"], title=d["title"], facts=d["facts"], county=d["county"], town=d.get("town", ""),
            received_on=d["received_on"], industry=d["industry"], employment_form=d["employment_form"],
            workers=workers, respondents=respondents, claims=claims, source_agency=d.get("source_agency"),
            source_ref=d.get("source_ref", ""), hotline_ticket=d.get("hotline_ticket", ""),
            court_due_date=d.get("court_due_date"), court_procedure=d.get("court_procedure", ""),
            joint_peoples_mediation=bool(d.get("joint_peoples_mediation")),
        )


class ReviewForm(forms.Form):
    DECISIONS = [("accept", _("受理")), ("not_accept", _("不予受理")), ("redirect", _("分流转办"))]
    decision = forms.ChoiceField(label=_("审查决定"), choices=DECISIONS, widget=forms.RadioSelect)
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE_INPUT)
    respondent_consents = forms.BooleanField(label=_("被申请人同意调解"), required=False)
    reason = forms.CharField(label=_("理由（不予受理或转办时必填）"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    redirected_to = forms.CharField(label=_("转办去向"), max_length=120, required=False)

    def __init__(self, *args, mediators=None, **kwargs):
        """With `mediators`, a head who also assigns may accept and assign in one step."""
        super().__init__(*args, **kwargs)
        if mediators is not None:
            self.fields["mediator"] = forms.ModelChoiceField(
                label=_("同时指派主办调解员（受理时可选）"), queryset=mediators, required=False)
            self.fields["assistants"] = forms.ModelMultipleChoiceField(
                label=_("协办调解员"), queryset=mediators, required=False, widget=forms.CheckboxSelectMultiple)
            self.fields["mediator"].label_from_instance = lambda u: u.staff.full_name
            self.fields["assistants"].label_from_instance = lambda u: u.staff.full_name

    def clean(self):
        data = super().clean()
        if data.get("decision") != "accept" and (data.get("mediator") or data.get("assistants")):
            self.add_error("mediator", _("只有受理时才能同时指派调解员。"))
        if data.get("assistants") and not data.get("mediator"):
            self.add_error("assistants", _("指派协办调解员时请同时选择主办调解员。"))
        return data


class AssignForm(forms.Form):
    mediator = forms.ModelChoiceField(label=_("主办调解员"), queryset=None)
    assistants = forms.ModelMultipleChoiceField(label=_("协办调解员"), queryset=None, required=False,
                                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, mediators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = mediators
        self.fields["assistants"].queryset = mediators
        self.fields["mediator"].label_from_instance = lambda u: u.staff.full_name
        self.fields["assistants"].label_from_instance = lambda u: u.staff.full_name


class SessionRecordForm(forms.Form):
    held_at = forms.DateTimeField(label=_("调解时间"), widget=DATETIME_INPUT, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    form = forms.ChoiceField(label=_("调解方式"), choices=SessionForm.choices)
    place = forms.CharField(label=_("地点（视频调解填写平台）"), max_length=120)
    participants = forms.CharField(label=_("参加人员"), widget=forms.Textarea(attrs={"rows": 2}))
    points_in_dispute = forms.CharField(label=_("争议焦点"), widget=forms.Textarea(attrs={"rows": 3}))
    proposals = forms.CharField(label=_("调解方案/各方意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    result = forms.CharField(label=_("本次结果与下一步"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    attachment = forms.FileField(label=_("调解笔录或照片（PDF/JPEG/PNG/DOCX/XLSX，20MB以内）"), required=False)


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("延长天数"), min_value=1)
    applicant_consent = forms.CharField(label=_("申请人同意方式（如：书面同意书、调解笔录签字）"), max_length=200)
    respondent_consent = forms.CharField(label=_("被申请人同意方式"), max_length=200)
    consented_on = forms.DateField(label=_("同意日期"), widget=DATE_INPUT)


class MediationOutcomeForm(forms.Form):
    OUTCOMES = [("agreement", _("达成调解协议")), ("failed", _("调解不成，终止调解")), ("withdrawn", _("申请人撤回/自行和解"))]
    outcome = forms.ChoiceField(label=_("调解结果"), choices=OUTCOMES, widget=forms.RadioSelect)
    on = forms.DateField(label=_("日期"), widget=DATE_INPUT)
    # agreement
    terms = forms.CharField(label=_("协议内容"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    amount_total = money_field(_("协议金额合计（元）"), required=False)
    applicant_signed = forms.BooleanField(label=_("申请人已签名"), required=False)
    respondent_signed = forms.BooleanField(label=_("被申请人已签名/盖章"), required=False)
    mediator_signed = forms.BooleanField(label=_("调解员已签名"), required=False)
    sealed = forms.BooleanField(label=_("已加盖调解组织印章"), required=False)
    paid_on_spot = forms.BooleanField(label=_("当场履行完毕"), required=False)
    instalments = forms.CharField(
        label=_("履行期限（每行一期：日期，金额）"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如：2026-12-20，50000"),
    )
    confirmation_path = forms.ChoiceField(label=_("确认途径"), choices=ConfirmationPath.choices, required=False)
    # failure / withdrawal
    reason = forms.CharField(label=_("终止或撤回理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    referral_kinds = forms.MultipleChoiceField(label=_("转出去向（调解不成时）"), choices=ReferralKind.choices,
                                               required=False, widget=forms.CheckboxSelectMultiple)
    violation_on = forms.DateField(
        label=_("违法行为发生日（连续或继续状态的，为行为终了日；移送劳动保障监察时必填）"), widget=DATE_INPUT,
        required=False)
    lookback_acknowledged = forms.BooleanField(
        label=_("已知悉：违法行为已超过二年的，劳动保障监察不再查处（《劳动保障监察条例》第二十条），仍要移送"),
        required=False)

    def clean_instalments(self):
        rows = []
        for lineno, raw in enumerate(self.cleaned_data.get("instalments", "").splitlines(), start=1):
            line = raw.strip()
            if not line:
                continue
            parts = [p.strip() for p in re.split(r"[,，\t]", line)]
            try:
                due = datetime.date.fromisoformat(parts[0])
                amount = Decimal(parts[1])
            except (ValueError, IndexError, InvalidOperation):
                raise ValidationError(_("第%(n)d行格式应为“日期，金额”，如 2026-12-20，50000。") % {"n": lineno}) from None
            if amount <= 0:
                raise ValidationError(_("第%(n)d行：金额必须大于零。") % {"n": lineno})
            rows.append((due, amount))
        return rows


class ConfirmationDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("审查结果"), widget=forms.RadioSelect,
                                 choices=[(RequestDecision.CONFIRMED, _("确认/发出")),
                                          (RequestDecision.REFUSED, _("驳回/不予受理"))])
    accepted_on = forms.DateField(label=_("受理日期（尚未登记受理时填写）"), widget=DATE_INPUT, required=False)
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE_INPUT)
    ruling_no = forms.CharField(label=_("裁定书/调解书/支付令文号"), max_length=80, required=False)
    reason = forms.CharField(label=_("驳回理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class FollowUpForm(forms.Form):
    OUTCOMES = [("performed", _("已全部履行")), ("payment_order", _("逾期未履行：申请支付令")),
                ("enforcement", _("逾期未履行：申请强制执行")), ("refer", _("逾期未履行：转仲裁等"))]
    outcome = forms.ChoiceField(label=_("履行情况"), choices=OUTCOMES, widget=forms.RadioSelect)
    on = forms.DateField(label=_("日期"), widget=DATE_INPUT)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    referral_kinds = forms.MultipleChoiceField(label=_("转出去向"), choices=ReferralKind.choices, required=False,
                                               widget=forms.CheckboxSelectMultiple)
    violation_on = MediationOutcomeForm.base_fields["violation_on"]
    lookback_acknowledged = MediationOutcomeForm.base_fields["lookback_acknowledged"]

    def __init__(self, *args, paths=None, referral_kinds=None, **kwargs):
        """`paths` / `referral_kinds`: what this case's follow-up offers (services.performance_paths)."""
        super().__init__(*args, **kwargs)
        outcomes = list(self.OUTCOMES)
        if referral_kinds is not None:
            self.fields["referral_kinds"].choices = [c for c in ReferralKind.choices if c[0] in referral_kinds]
            if ReferralKind.ARBITRATION not in referral_kinds:
                outcomes = [(v, _("转出（法律援助、劳动保障监察等）") if v == "refer" else label) for v, label in outcomes]
        if paths is not None:
            outcomes = [c for c in outcomes if c[0] in paths]
        self.fields["outcome"].choices = outcomes


class AcceptanceForm(forms.Form):
    accepted_on = forms.DateField(label=_("受理日期"), widget=DATE_INPUT)


class CourtExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("延长天数"), min_value=1)
    approval = forms.CharField(label=_("批准情况（批准人、日期、文号）"), max_length=200,
                               error_messages={"required": _("延长审查期限须经院长批准：请填写批准情况。")})


class ServiceForm(forms.Form):
    served_on = forms.DateField(label=_("支付令送达债务人的日期"), widget=DATE_INPUT)


class DebtorResponseForm(forms.Form):
    response = forms.ChoiceField(label=_("债务人答复"), widget=forms.RadioSelect, choices=[
        ("PAID", _("债务人已清偿")), ("OBJECTED", _("债务人提出书面异议（转入诉讼）")),
        ("LAPSED", _("十五日期满，既未清偿也未提出异议"))])
    on = forms.DateField(label=_("日期"), widget=DATE_INPUT)
    note = forms.CharField(label=_("情况说明（异议的，写明异议内容）"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class EnforcementAcceptForm(forms.Form):
    accepted_on = forms.DateField(label=_("立案日期"), widget=DATE_INPUT)
    case_no = forms.CharField(label=_("执行案号"), max_length=80)


class EnforcementResultForm(forms.Form):
    result = forms.ChoiceField(label=_("执行结果"), widget=forms.RadioSelect, choices=[
        ("ENFORCED", _("执行完毕")), ("TERMINATED", _("终结执行/终结本次执行"))])
    result_on = forms.DateField(label=_("结果日期"), widget=DATE_INPUT)
    note = forms.CharField(label=_("执行情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回说明（申请人撤回申请书或自行和解的情况）"),
                             widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(label=_("撤回日期"), widget=DATE_INPUT)


class PaymentForm(forms.Form):
    instalment = forms.IntegerField(label=_("分期"), widget=forms.HiddenInput,
                                    error_messages={"required": _("请选择要登记的那一期款项。")})
    paid_on = forms.DateField(label=_("实付日期"), widget=DATE_INPUT,
                              error_messages={"required": _("请填写实付日期。"),
                                              "invalid": _("实付日期格式应为 2026-12-20。")})
    proof = forms.CharField(label=_("付款凭证（转账流水号等）"), max_length=200,
                            error_messages={"required": _("请填写付款凭证（转账流水号、收据编号等），未登记付款。")})


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("回访日期"), widget=DATE_INPUT)
    method = forms.CharField(label=_("回访方式"), max_length=40)
    findings = forms.CharField(label=_("回访情况"), widget=forms.Textarea(attrs={"rows": 2}))


class ReferralUpdateForm(forms.Form):
    received_on = forms.DateField(label=_("接收日期"), widget=DATE_INPUT)
    accepted = forms.TypedChoiceField(
        label=_("决定"), required=False, coerce=lambda v: {"yes": True, "no": False}.get(v),
        choices=[("", _("尚未决定")), ("yes", _("受理/给予援助/支持起诉/立案")), ("no", _("不予受理/不予援助/不支持"))],
        empty_value=None,
    )
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE_INPUT, required=False)
    decision_note = forms.CharField(label=_("决定说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    result = forms.CharField(label=_("处理结果（裁决、判决、监察指令等）"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    document_no = forms.CharField(label=_("文书编号"), max_length=80, required=False)
    result_on = forms.DateField(label=_("结果日期"), widget=DATE_INPUT, required=False)
    finish = forms.BooleanField(label=_("本机构办理完毕，反馈结果"), required=False)

    def __init__(self, *args, arbitration: bool = False, **kwargs):
        """A referral to arbitration also records the tribunal notice, an approved extension and the
        award (D14–D18, 调解仲裁法 Arts. 32, 43, 47–50)."""
        super().__init__(*args, **kwargs)
        if arbitration:
            self.fields["tribunal_notified_on"] = forms.DateField(
                label=_("仲裁庭组成书面通知日期"), widget=DATE_INPUT, required=False)
            self.fields["award_extension_days"] = forms.IntegerField(
                label=_("经仲裁委员会主任批准延期裁决（日，最多15日）"), min_value=1, max_value=15, required=False)
            self.fields["award_on"] = forms.DateField(label=_("裁决日期"), widget=DATE_INPUT, required=False)
            self.fields["award_kind"] = forms.ChoiceField(
                label=_("裁决类型"), choices=[("", "—"), *AwardKind.choices], required=False)
            self.fields["award_received_on"] = forms.DateField(
                label=_("当事人收到裁决书日期"), widget=DATE_INPUT, required=False)
            self.fields["award_challenged_on"] = forms.DateField(
                label=_("当事人起诉或申请撤销裁决的日期（如有）"), widget=DATE_INPUT, required=False)
            self.order_fields([*self.fields][:4] + ["tribunal_notified_on", "award_extension_days", "award_on",
                                                    "award_kind", "award_received_on", "award_challenged_on"])


class CourtReportForm(forms.Form):
    """DOMAIN §2.3: the structured result the union sends back to the delegating court."""

    sent_on = forms.DateField(label=_("反馈日期"), widget=DATE_INPUT)
    follow_up = forms.ChoiceField(label=_("后续处理（调解成功时必选）"), choices=[("", "—"), *CourtFollowUp.choices],
                                  required=False, widget=forms.RadioSelect)
    note = forms.CharField(label=_("反馈说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CourtAcknowledgementForm(forms.Form):
    acknowledged_on = forms.DateField(label=_("收到日期"), widget=DATE_INPUT)
    court_case_no = forms.CharField(label=_("法院案号（可选）"), max_length=80, required=False)
    note = forms.CharField(label=_("法院意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    closing_code = forms.ChoiceField(label=_("结案方式"), choices=ClosingCode.choices)
    closed_on = forms.DateField(label=_("结案日期"), widget=DATE_INPUT)
    follow_up_done = forms.BooleanField(label=_("已完成回访"), required=False)
    note = forms.CharField(label=_("结案说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("材料名称"), max_length=120)
    file = forms.FileField(label=_("文件（PDF/JPEG/PNG/DOCX/XLSX，20MB以内）"))


class AgentForm(forms.Form):
    name = forms.CharField(label=_("代理人姓名"), max_length=40)
    kind = forms.ChoiceField(label=_("代理类型"), choices=AgentKind.choices)
    phone = PhoneField(label=_("电话"), max_length=20, required=False)


class ConfirmationFilingForm(forms.Form):
    CHOICES = [("apply", _("双方已共同提出申请")), ("skip", _("双方决定不申请确认，直接进入履行"))]
    decision = forms.ChoiceField(label=_("确认申请"), choices=CHOICES, widget=forms.RadioSelect, initial="apply")
    filed_on = forms.DateField(label=_("申请日期"), widget=DATE_INPUT)


class PartyCorrectionForm(forms.Form):
    """Correct what this case says about one worker (the change is logged with before/after)."""

    name = forms.CharField(label=_("姓名"), max_length=40)
    phone = PhoneField(label=_("联系电话"), max_length=20, required=False)
    is_migrant = forms.BooleanField(label=_("农民工/进城务工人员"), required=False)
    is_new_employment_form = forms.BooleanField(label=_("新就业形态劳动者"), required=False)
    has_disability = forms.BooleanField(label=_("残疾职工"), required=False)
    is_over_age = forms.BooleanField(label=_("超龄劳动者"), required=False)
    is_hardship = forms.BooleanField(label=_("困难职工"), required=False)
    is_union_member = forms.BooleanField(label=_("工会会员"), required=False)


class ClockPauseForm(forms.Form):
    """暂停计时 (D34): the reason from the list, or "其他" with words."""

    reason = forms.ChoiceField(label=_("暂停原因"), choices=[])
    note = forms.CharField(label=_("具体说明（原因为“其他”的必填）"), max_length=150, required=False)
    on = forms.DateField(label=_("暂停日期"), widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        from .protective_services import PauseReason

        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = PauseReason.choices


class ClockResumeForm(forms.Form):
    on = forms.DateField(label=_("恢复日期"), widget=DATE_INPUT)
