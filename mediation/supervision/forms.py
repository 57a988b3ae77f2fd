"""Forms of the supervision pages and task steps. Business rules stay in services;
forms only shape and label the input."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parties.forms import PhoneField, ResidentIdField
from parties.models import Agency, AgencyKind, County, Employer, Industry, Role

from .models import (
    ClueSource,
    Conclusion,
    DeliveryMethod,
    DepartmentAction,
    DepartmentDecision,
    DepartmentResult,
    ProcuratorateAction,
    ReferralGround,
    ReplyKind,
    SupervisionScope,
    Verification,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _today():
    return timezone.localdate()


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.staff.full_name


class MatterRegisterForm(forms.Form):
    title = forms.CharField(label=_("事项名称"), max_length=200)
    employer = forms.ModelChoiceField(label=_("被监督的用人单位"), queryset=Employer.objects.none())
    source = forms.ChoiceField(label=_("线索来源"), choices=[c for c in ClueSource.choices if c[0] != ClueSource.CAMPAIGN])
    source_ref = forms.CharField(label=_("来源编号（热线工单号/检察院线索号）"), max_length=80, required=False)
    clue = forms.CharField(label=_("线索情况"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, employers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers if employers is not None else Employer.objects.all()


class InvestigationForm(forms.Form):
    conducted_on = forms.DateField(label=_("调查日期"), widget=DateInput(), initial=_today)
    investigators = StaffChoiceField(
        label=_("调查人员（至少两名劳动法律监督员）"), queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    method = forms.CharField(label=_("调查方式"), max_length=200,
                             help_text=_("例如：实地查看、调阅工资台账和考勤记录、询问职工"))
    place = forms.CharField(label=_("调查地点"), max_length=200, required=False)
    findings = forms.CharField(label=_("调查情况"), widget=forms.Textarea(attrs={"rows": 4}))
    conclusion = forms.ChoiceField(label=_("调查结论"), choices=Conclusion.choices, widget=forms.RadioSelect)

    def __init__(self, *args, county=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = get_user_model().objects.filter(
            staff__agency__kind=AgencyKind.UNION, staff__role_rows__role=Role.LABOR_SUPERVISOR,
        )
        if county:
            qs = qs.filter(staff__agency__county=county)
        self.fields["investigators"].queryset = qs.select_related("staff").distinct().order_by("id")


class LetterBaseForm(forms.Form):
    """The supervisor's draft; the chair's sign-off dates and signs it (no issue date, no signatory here)."""

    subject = forms.CharField(label=_("事由"), max_length=200)
    facts = forms.CharField(label=_("事实情况"), widget=forms.Textarea(attrs={"rows": 4}))
    legal_basis = forms.CharField(label=_("法律依据"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  help_text=_("写明法律、法规的名称和条款"))
    requirements = forms.CharField(label=_("建议措施"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    co_issuers = forms.ModelMultipleChoiceField(
        label=_("联合发文机关"), required=False, queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    cc = forms.CharField(label=_("抄送"), max_length=200, required=False)

    def __init__(self, *args, county=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Agency.objects.filter(kind__in=[AgencyKind.PROCURATORATE, AgencyKind.COURT, AgencyKind.HRSS],
                                   unit="")
        if county:
            qs = qs.filter(county__in=[county, County.CITY])
        self.fields["co_issuers"].queryset = qs.order_by("kind", "county")


class ReminderForm(LetterBaseForm):
    request_reply = forms.BooleanField(
        label=_("要求书面反馈自查情况"), required=False, initial=True,
        help_text=_("反馈期限按提示函回复时限规则（D42）自发文之日起自动计算，并写入提示函"),
    )


class OpinionForm(LetterBaseForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirements"].label = _("整改要求")
        self.fields["requirements"].help_text = _(
            "书面回复期限按意见书回复时限规则（D40）自发文之日起自动计算，并写入意见书")
        self.fields["co_issuers"].label = _("联合发文机关（可选）")


class SignOffForm(forms.Form):
    APPROVE, RETURN = "approve", "return"
    decision = forms.ChoiceField(label=_("审签意见"), widget=forms.RadioSelect,
                                 choices=[(APPROVE, _("同意签发")), (RETURN, _("退回修改"))])
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        d = super().clean()
        if d.get("decision") == self.RETURN and not (d.get("reason") or "").strip():
            self.add_error("reason", _("退回修改须写明理由。"))
        return d


class ViolationForm(forms.Form):
    category = forms.ChoiceField(label=_("监督事项类别"), choices=[("", "---------")] + SupervisionScope.choices,
                                 required=False)
    facts = forms.CharField(label=_("违法事实"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence = forms.CharField(label=_("证据"), max_length=500, required=False)
    legal_basis = forms.CharField(label=_("法律依据"), max_length=500, required=False)
    rectification = forms.CharField(label=_("整改要求"), max_length=500, required=False)
    deadline = forms.DateField(label=_("整改期限"), widget=DateInput(), required=False)
    workers_affected = forms.IntegerField(label=_("涉及职工人数"), min_value=0, required=False)
    amount = forms.DecimalField(label=_("涉及金额（元）"), min_value=0, max_digits=12, decimal_places=2,
                                required=False)

    def has_content(self) -> bool:
        d = getattr(self, "cleaned_data", {}) or {}
        return any(d.get(k) for k in ("category", "facts", "legal_basis", "rectification", "deadline"))


ViolationFormSet = forms.formset_factory(ViolationForm, extra=2, max_num=10)


class RecommendationForm(LetterBaseForm):
    department = forms.ModelChoiceField(label=_("主送部门"), queryset=Agency.objects.none())
    recommended_actions = forms.MultipleChoiceField(
        label=_("建议部门采取的措施"), choices=DepartmentAction.choices, widget=forms.CheckboxSelectMultiple,
    )
    reply_due = forms.DateField(label=_("请部门作出立案决定的日期"), widget=DateInput(), required=False)

    def __init__(self, *args, county=None, **kwargs):
        super().__init__(*args, county=county, **kwargs)
        self.fields["requirements"].label = _("建议事项")
        self.fields["department"].queryset = Agency.objects.filter(
            kind=AgencyKind.HRSS, county__in=[county, County.CITY] if county else County.values,
        ).order_by("county", "unit")
        self.fields["department"].help_text = _("默认劳动保障监察大队；也可选择同级人社局等部门")


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(label=_("送达方式"), choices=DeliveryMethod.choices)
    delivered_on = forms.DateField(label=_("送达日期"), widget=DateInput(), initial=_today)
    receipt = forms.CharField(label=_("送达回执（签收人/回执编号）"), max_length=200)


class ReplyForm(forms.Form):
    reply_kind = forms.ChoiceField(label=_("用人单位回复情况"), choices=ReplyKind.choices, widget=forms.RadioSelect)
    replied_on = forms.DateField(label=_("回复日期"), widget=DateInput(), required=False)
    reply_content = forms.CharField(label=_("回复内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    verification = forms.ChoiceField(label=_("工会核查结果"), choices=Verification.choices, widget=forms.RadioSelect)
    verified_on = forms.DateField(label=_("核查日期"), widget=DateInput(), initial=_today)
    verification_note = forms.CharField(label=_("核查情况"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    amount_recovered = forms.DecimalField(label=_("追回金额（元）"), min_value=0, max_digits=12, decimal_places=2,
                                          required=False)
    workers_covered = forms.IntegerField(label=_("惠及职工人数"), min_value=0, required=False)


class FilingForm(forms.Form):
    decision = forms.ChoiceField(label=_("立案决定"), choices=DepartmentDecision.choices, widget=forms.RadioSelect)
    decided_on = forms.DateField(label=_("决定日期"), widget=DateInput(), initial=_today)
    filing_no = forms.CharField(label=_("立案编号"), max_length=80, required=False)
    refusal_reason = forms.CharField(label=_("不予立案的理由"), widget=forms.Textarea(attrs={"rows": 3}),
                                     required=False)


class ResultForm(forms.Form):
    result = forms.ChoiceField(label=_("处理结果"), choices=DepartmentResult.choices)
    result_on = forms.DateField(label=_("处理日期"), widget=DateInput(), initial=_today)
    result_doc_no = forms.CharField(label=_("处理文书编号"), max_length=80, required=False)
    result_note = forms.CharField(label=_("处理情况"), widget=forms.Textarea(attrs={"rows": 3}))


class VerifyForm(forms.Form):
    verification = forms.ChoiceField(label=_("复核结果"), choices=Verification.choices, widget=forms.RadioSelect)
    verified_on = forms.DateField(label=_("复核日期"), widget=DateInput(), initial=_today)
    note = forms.CharField(label=_("复核情况"), widget=forms.Textarea(attrs={"rows": 3}))
    amount_recovered = forms.DecimalField(label=_("追回金额（元）"), min_value=0, max_digits=12, decimal_places=2,
                                          required=False)
    workers_covered = forms.IntegerField(label=_("惠及职工人数"), min_value=0, required=False)


class CloseDeclinedForm(forms.Form):
    closed_on = forms.DateField(label=_("结案日期"), widget=DateInput(), initial=_today)
    note = forms.CharField(label=_("结案说明"), widget=forms.Textarea(attrs={"rows": 3}))


class ReferralForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("接收检察院"), queryset=Agency.objects.none())
    sent_on = forms.DateField(label=_("移送日期"), widget=DateInput(), initial=_today)
    grounds = forms.MultipleChoiceField(label=_("移送情形"), choices=ReferralGround.choices,
                                        widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("移送说明"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, county=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(
            kind=AgencyKind.PROCURATORATE, county__in=[county, County.CITY] if county else County.values,
        ).order_by("county")


class FeedbackForm(forms.Form):
    action = forms.ChoiceField(label=_("检察院处理方式"), choices=ProcuratorateAction.choices)
    closed_on = forms.DateField(label=_("办结日期"), widget=DateInput(), initial=_today)
    feedback = forms.CharField(label=_("反馈内容"), widget=forms.Textarea(attrs={"rows": 3}))
    feedback_on = forms.DateField(label=_("反馈日期"), widget=DateInput(), initial=_today)


class ClueClosedForm(forms.Form):
    """The procuratorate records that it closed the clue; its feedback is then due within 5 days (D28)."""

    action = forms.ChoiceField(label=_("检察院处理方式"), choices=ProcuratorateAction.choices)
    closed_on = forms.DateField(label=_("办结日期"), widget=DateInput(), initial=_today)


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("事项名称"), max_length=200, initial=_("春节前保障农民工工资支付集中提示"))
    county = forms.ChoiceField(label=_("县区"), choices=County.choices)
    industry = forms.ChoiceField(label=_("行业"), choices=Industry.choices)
    subject = forms.CharField(label=_("提示事项"), max_length=200)
    facts = forms.CharField(label=_("有关情况"), widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label=_("法律依据"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    requirements = forms.CharField(label=_("建议措施"), widget=forms.Textarea(attrs={"rows": 3}))
    request_reply = forms.BooleanField(
        label=_("要求书面反馈自查情况"), required=False,
        help_text=_("反馈期限按提示函回复时限规则（D42）自发文之日起自动计算"),
    )
    co_issuers = forms.ModelMultipleChoiceField(
        label=_("联合发文机关"), required=False, queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    employers = forms.ModelMultipleChoiceField(
        label=_("受文单位（不选则为该县区该行业全部用人单位）"), required=False,
        queryset=Employer.objects.all(), widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, county=None, **kwargs):
        super().__init__(*args, **kwargs)
        if county and county != County.CITY:
            self.fields["county"].choices = [(county, County(county).label)]
        self.fields["co_issuers"].queryset = Agency.objects.filter(
            kind__in=[AgencyKind.PROCURATORATE, AgencyKind.COURT, AgencyKind.HRSS], unit="",
        ).order_by("kind", "county")


class LinkCaseForm(forms.Form):
    case_no = forms.CharField(label=_("调解案件案号"), max_length=60)


class SpawnCaseForm(forms.Form):
    name = forms.CharField(label=_("劳动者姓名"), max_length=40)
    id_number = ResidentIdField(label=_("居民身份证号码"), max_length=18)
    phone = PhoneField(label=_("联系电话"), max_length=20, required=False)
    is_migrant = forms.BooleanField(label=_("农民工/进城务工人员"), required=False)
    subtype = forms.CharField(label=_("具体诉求"), max_length=40, initial=_("拖欠工资"))
    amount_claimed = forms.DecimalField(label=_("请求金额（元）"), min_value=0, max_digits=12, decimal_places=2)
    facts = forms.CharField(label=_("事实与理由"), widget=forms.Textarea(attrs={"rows": 3}))
