"""一函两书: the union's labor-law supervision matters and their letters.

DOMAIN §4.2 (the three instruments), §4.3 (escalation ladder and its guards),
§4.4 (fields of each document), §4.5 (links to cases), §5.6 (SupervisionMatter).
State changes happen only through mediation.supervision.services; an issued
letter is frozen (rendered text + sha256) and never re-rendered.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from viewflow.workflow.models import Process

from mediation.cases.models import Case
from mediation.lib.audit import AppendOnlyModel
from parties.models import Agency, County, Employer, Industry

MAX_AMOUNT = Decimal("100000000.00")
money_validators = [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_AMOUNT)]


class MatterStatus(models.TextChoices):
    """DOMAIN §4.3."""

    CLUE_FOUND = "CLUE_FOUND", _("发现线索")
    INVESTIGATING = "INVESTIGATING", _("调查核实")
    REMINDER_ISSUED = "REMINDER_ISSUED", _("已发提示函")
    OPINION_ISSUED = "OPINION_ISSUED", _("已发意见书")
    RECOMMENDATION_ISSUED = "RECOMMENDATION_ISSUED", _("已发建议书")
    DEPT_FILED = "DEPT_FILED", _("部门已立案")
    DEPT_DECIDED = "DEPT_DECIDED", _("部门已处理")
    DEPT_DECLINED = "DEPT_DECLINED", _("部门不予立案")
    CLOSED_NO_ISSUE = "CLOSED_NO_ISSUE", _("结案·未发现问题")
    CLOSED_RECTIFIED = "CLOSED_RECTIFIED", _("结案·已整改")
    CLOSED_ESCALATION_FAILED = "CLOSED_ESCALATION_FAILED", _("结案·提请未果")


CLOSED_STATUSES = {
    MatterStatus.CLOSED_NO_ISSUE, MatterStatus.CLOSED_RECTIFIED, MatterStatus.CLOSED_ESCALATION_FAILED,
}


class ClueSource(models.TextChoices):
    CASE = "CASE", _("调解案件中发现")
    HOTLINE = "HOTLINE", _("12351热线")
    SCREENING = "SCREENING", _("风险排查")
    PROCURATORATE = "PROCURATORATE", _("检察院移送线索")
    CAMPAIGN = "CAMPAIGN", _("节点集中提示（如春节前）")


class SupervisionScope(models.TextChoices):
    """The scope of union labor-law supervision under the 2024 SPP–ACFTU notice (DOMAIN §4.1)."""

    INTERNAL_RULES = "INTERNAL_RULES", _("涉及职工切身利益的规章制度")
    COLLECTIVE_CONTRACT = "COLLECTIVE_CONTRACT", _("工资集体协商和集体合同")
    WORKERS_CONGRESS = "WORKERS_CONGRESS", _("职工代表大会制度")
    LABOR_CONTRACT = "LABOR_CONTRACT", _("劳动合同订立、履行、变更和解除")
    WAGES_INSURANCE = "WAGES_INSURANCE", _("工资支付、社会保险和福利")
    WORKING_TIME = "WORKING_TIME", _("工作时间、休息休假")
    SAFETY = "SAFETY", _("劳动安全卫生和职业病防治")
    SPECIAL_PROTECTION = "SPECIAL_PROTECTION", _("女职工、未成年工、残疾职工和超龄劳动者特殊保护")
    DISPATCH = "DISPATCH", _("被派遣劳动者合法权益")
    UNLAWFUL_TERMINATION = "UNLAWFUL_TERMINATION", _("违法解除劳动合同")


class Conclusion(models.TextChoices):
    NO_ISSUE = "NO_ISSUE", _("未发现违法问题")
    RISK = "RISK", _("存在风险隐患（发提示函）")
    VIOLATION = "VIOLATION", _("确有违法行为（发意见书）")


class SupervisionMatter(models.Model):
    """A supervision matter (§5.6): one employer, or a region/industry for a mass 提示函."""

    matter_no = models.CharField(_("监督事项编号"), max_length=60, unique=True)
    year = models.PositiveIntegerField(_("年度"))
    agency = models.ForeignKey(
        Agency, verbose_name=_("承办工会"), on_delete=models.PROTECT, related_name="supervision_matters"
    )
    county = models.CharField(_("县区"), max_length=6, choices=County.choices, db_index=True)
    title = models.CharField(_("事项名称"), max_length=200)
    employer = models.ForeignKey(
        Employer, verbose_name=_("用人单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="supervision_matters",
    )
    is_campaign = models.BooleanField(_("集中提示（多家用人单位）"), default=False)
    scope_industry = models.CharField(_("行业范围"), max_length=20, choices=Industry.choices, blank=True)
    source = models.CharField(_("线索来源"), max_length=20, choices=ClueSource.choices)
    source_case = models.ForeignKey(
        Case, verbose_name=_("来源调解案件"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    source_ref = models.CharField(_("来源编号（热线工单/检察院线索号）"), max_length=80, blank=True)
    clue = models.TextField(_("线索情况"))
    status = models.CharField(
        _("状态"), max_length=30, choices=MatterStatus.choices, default=MatterStatus.CLUE_FOUND, db_index=True
    )
    conclusion = models.CharField(_("调查结论"), max_length=20, choices=Conclusion.choices, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    closing_note = models.TextField(_("结案说明"), blank=True)
    amount_recovered = models.DecimalField(
        _("追回金额（元）"), max_digits=12, decimal_places=2, default=Decimal("0"), validators=money_validators
    )
    workers_covered = models.PositiveIntegerField(_("惠及职工人数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("劳动法律监督事项")
        verbose_name_plural = _("劳动法律监督事项")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["county", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.matter_no} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:matter_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class MatterUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(SupervisionMatter, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("监督事项用户权限")


class MatterGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(SupervisionMatter, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("监督事项机构权限")


class Investigation(models.Model):
    """调查核实, by at least two labor-law supervisors (DOMAIN §1.2, [C-local: S34])."""

    matter = models.ForeignKey(SupervisionMatter, on_delete=models.CASCADE, related_name="investigations")
    conducted_on = models.DateField(_("调查日期"))
    method = models.CharField(_("调查方式"), max_length=200)
    place = models.CharField(_("调查地点"), max_length=200, blank=True)
    findings = models.TextField(_("调查情况"))
    conclusion = models.CharField(_("调查结论"), max_length=20, choices=Conclusion.choices)
    investigators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("调查人员"), related_name="supervision_investigations"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("调查记录")
        verbose_name_plural = _("调查记录")
        ordering = ["conducted_on", "id"]

    def __str__(self) -> str:
        return f"{self.conducted_on} {self.get_conclusion_display()}"


class Violation(models.Model):
    """One violation found; a 意见书 lists each with its facts, basis, rectification and deadline."""

    matter = models.ForeignKey(SupervisionMatter, on_delete=models.CASCADE, related_name="violations")
    category = models.CharField(_("监督事项类别"), max_length=30, choices=SupervisionScope.choices)
    facts = models.TextField(_("违法事实"))
    evidence = models.TextField(_("证据"), blank=True)
    legal_basis = models.TextField(_("法律依据"))
    rectification = models.TextField(_("整改要求"))
    deadline = models.DateField(_("整改期限"))
    workers_affected = models.PositiveIntegerField(_("涉及职工人数"), default=0)
    amount = models.DecimalField(
        _("涉及金额（元）"), max_digits=12, decimal_places=2, default=Decimal("0"), validators=money_validators
    )
    rectified = models.BooleanField(_("已整改"), null=True, blank=True)
    verified_on = models.DateField(_("核查日期"), null=True, blank=True)
    verification_note = models.TextField(_("核查情况"), blank=True)

    class Meta:
        verbose_name = _("违法事项")
        verbose_name_plural = _("违法事项")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}：{self.facts[:40]}"


class LetterKind(models.TextChoices):
    REMINDER = "REMINDER", _("提示函")
    OPINION = "OPINION", _("意见书")
    RECOMMENDATION = "RECOMMENDATION", _("建议书")


# The character of the document number: 安工监提〔2026〕3号 / 安工监意 / 安工监建.
KIND_NUMBER_CHAR = {LetterKind.REMINDER: "提", LetterKind.OPINION: "意", LetterKind.RECOMMENDATION: "建"}

KIND_FULL_TITLE = {
    LetterKind.REMINDER: _("工会劳动法律监督提示函"),
    LetterKind.OPINION: _("工会劳动法律监督意见书"),
    LetterKind.RECOMMENDATION: _("工会劳动法律监督建议书"),
}


class IssuingOffice(models.Model):
    """How an issuing union numbers and signs its letters (prefix configurable per agency)."""

    agency = models.OneToOneField(Agency, verbose_name=_("发文机关"), on_delete=models.CASCADE,
                                  related_name="supervision_office")
    doc_prefix = models.CharField(
        _("文号前缀"), max_length=20, help_text=_("例如“安工监”，文号为 安工监提〔2026〕3号"),
    )
    committee_name = models.CharField(_("监督委员会名称"), max_length=100, blank=True)
    signatory = models.CharField(_("签发人（主任或副主任）"), max_length=40, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("发文机关设置")
        verbose_name_plural = _("发文机关设置")

    def __str__(self) -> str:
        return f"{self.agency} {self.doc_prefix}"


class LetterTemplate(models.Model):
    """The Django-template source a letter is rendered from; editable by the union in the admin.

    Output markup, one paragraph per line: a line starting with "=" is a centred title,
    "#" a bold heading, ">" right-aligned (issuer, date), "|" a line without indent;
    other lines are body paragraphs. Blank lines are dropped.
    """

    kind = models.CharField(_("文书类型"), max_length=20, choices=LetterKind.choices, unique=True)
    name = models.CharField(_("模板名称"), max_length=100)
    source = models.TextField(_("模板内容（Django模板语法）"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from .documents import validate_template_source

        validate_template_source(self.source)


class DepartmentAction(models.TextChoices):
    """What a 建议书 recommends the department do (DOMAIN §4.4)."""

    FILE_AND_INVESTIGATE = "FILE_AND_INVESTIGATE", _("依法立案调查")
    ORDER_CORRECTION = "ORDER_CORRECTION", _("责令限期改正")
    PENALTY = "PENALTY", _("依法予以行政处罚")
    REFER_CRIME = "REFER_CRIME", _("涉嫌犯罪的移送司法机关")


class Letter(models.Model):
    """One 提示函 / 意见书 / 建议书. Frozen once issued: text and hash never change."""

    matter = models.ForeignKey(SupervisionMatter, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("文书类型"), max_length=20, choices=LetterKind.choices)
    year = models.PositiveIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("序号"))
    doc_no = models.CharField(_("文号"), max_length=60, unique=True)
    issuer = models.ForeignKey(Agency, verbose_name=_("发文机关"), on_delete=models.PROTECT, related_name="+")
    co_issuers = models.ManyToManyField(Agency, verbose_name=_("联合发文机关"), blank=True, related_name="+")
    department = models.ForeignKey(
        Agency, verbose_name=_("主送部门"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="supervision_recommendations", help_text=_("建议书主送的政府部门"),
    )
    previous = models.ForeignKey(
        "self", verbose_name=_("前一文书"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("事由"), max_length=200)
    facts = models.TextField(_("事实情况"))
    legal_basis = models.TextField(_("法律依据"))
    requirements = models.TextField(_("建议措施/整改要求/建议事项"))
    recommended_actions = models.JSONField(_("建议部门采取的措施"), default=list, blank=True)
    violations = models.ManyToManyField(Violation, verbose_name=_("所列违法事项"), blank=True, related_name="letters")
    reply_due = models.DateField(_("书面回复期限"), null=True, blank=True)
    rectification_due = models.DateField(_("整改期限"), null=True, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    cc = models.CharField(_("抄送"), max_length=200, blank=True)
    signatory = models.CharField(_("签发人"), max_length=40, blank=True)
    issued_on = models.DateField(_("发文日期"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="+")
    rendered_text = models.TextField(_("文书正文（定稿）"), editable=False)
    content_sha256 = models.CharField(_("正文SHA-256"), max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    FROZEN_FIELDS = ("rendered_text", "content_sha256", "doc_no", "kind", "issued_on", "matter_id")

    class Meta:
        verbose_name = _("监督文书")
        verbose_name_plural = _("监督文书")
        ordering = ["issued_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "kind", "year", "number"], name="unique_letter_number"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_no} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = Letter.objects.filter(pk=self.pk).values(*self.FROZEN_FIELDS).first()
            if stored and any(stored[f] != getattr(self, f) for f in self.FROZEN_FIELDS):
                raise PermissionError("An issued letter is frozen")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("An issued letter cannot be deleted")

    @property
    def full_title(self) -> str:
        return str(KIND_FULL_TITLE[self.kind])


class DraftState(models.TextChoices):
    PENDING = "PENDING", _("待签发")
    RETURNED = "RETURNED", _("已退回修改")
    ISSUED = "ISSUED", _("已签发")


class LetterDraft(models.Model):
    """A letter drafted by a labor-law supervisor, waiting for the union chair's or vice-chair's
    sign-off (签发): approved, it is numbered, rendered, frozen and issued; returned, it goes back
    to the supervisor with the reason. `payload` holds the letter's fields as plain JSON."""

    matter = models.ForeignKey(SupervisionMatter, on_delete=models.PROTECT, related_name="drafts")
    kind = models.CharField(_("文书类型"), max_length=20, choices=LetterKind.choices)
    subject = models.CharField(_("事由"), max_length=200)
    payload = models.JSONField(_("文书内容"), default=dict)
    state = models.CharField(_("状态"), max_length=20, choices=DraftState.choices, default=DraftState.PENDING,
                             db_index=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("拟稿人"), on_delete=models.PROTECT,
                                   related_name="+")
    drafted_at = models.DateTimeField(_("拟稿时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签发人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("审签时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    letter = models.OneToOneField(Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="draft")

    class Meta:
        verbose_name = _("文书签发稿")
        verbose_name_plural = _("文书签发稿")
        ordering = ["drafted_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_state_display()}）{self.subject}"


class DeliveryMethod(models.TextChoices):
    IN_PERSON = "IN_PERSON", _("直接送达")
    POST = "POST", _("邮寄送达（EMS）")
    ELECTRONIC = "ELECTRONIC", _("电子送达")
    LEFT_AT_PREMISES = "LEFT_AT_PREMISES", _("留置送达")
    MEETING = "MEETING", _("集中会议送达")


class ReplyKind(models.TextChoices):
    ACCEPTED = "ACCEPTED", _("接受并整改")
    PARTIAL = "PARTIAL", _("部分整改")
    REFUSED = "REFUSED", _("拒绝整改")
    NO_REPLY = "NO_REPLY", _("逾期未回复（置之不理）")


class Verification(models.TextChoices):
    RECTIFIED = "RECTIFIED", _("已整改到位")
    PARTIAL = "PARTIAL", _("部分整改")
    NOT_RECTIFIED = "NOT_RECTIFIED", _("未整改")


class LetterRecipient(models.Model):
    """Each recipient of a letter, with its delivery (送达) and the reply and verification."""

    # The matter a reminder of a clock on this row names and opens (mediation.clocks.reminders).
    clock_owner_path = "letter__matter"

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="recipients")
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("受文单位"), max_length=120)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=40, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    delivery_method = models.CharField(_("送达方式"), max_length=20, choices=DeliveryMethod.choices, blank=True)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    receipt = models.CharField(_("送达回执（签收人/回执编号）"), max_length=200, blank=True)
    reply_kind = models.CharField(_("回复情况"), max_length=20, choices=ReplyKind.choices, blank=True)
    replied_on = models.DateField(_("回复日期"), null=True, blank=True)
    reply_content = models.TextField(_("回复内容"), blank=True)
    verification = models.CharField(_("工会核查结果"), max_length=20, choices=Verification.choices, blank=True)
    verified_on = models.DateField(_("核查日期"), null=True, blank=True)
    verification_note = models.TextField(_("核查情况"), blank=True)

    class Meta:
        verbose_name = _("受文单位及送达")
        verbose_name_plural = _("受文单位及送达")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_delivered(self) -> bool:
        return self.delivered_on is not None


class DepartmentDecision(models.TextChoices):
    FILED = "FILED", _("立案")
    DECLINED = "DECLINED", _("不予立案（书面说明理由）")


class DepartmentResult(models.TextChoices):
    ORDER_TO_CORRECT = "ORDER_TO_CORRECT", _("责令改正")
    PENALTY = "PENALTY", _("行政处罚")
    ORDER_AND_PENALTY = "ORDER_AND_PENALTY", _("责令改正并处罚")
    REFERRED_CRIME = "REFERRED_CRIME", _("移送公安机关")
    NO_VIOLATION = "NO_VIOLATION", _("经查不构成违法")


class DepartmentHandling(models.Model):
    """The addressed department's handling of a 建议书 (D41): filing, result, or refusal."""

    letter = models.OneToOneField(Letter, on_delete=models.PROTECT, related_name="handling")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("立案决定"), max_length=20, choices=DepartmentDecision.choices)
    decided_on = models.DateField(_("决定日期"))
    filing_no = models.CharField(_("立案编号"), max_length=80, blank=True)
    refusal_reason = models.TextField(_("不予立案理由"), blank=True)
    result = models.CharField(_("处理结果"), max_length=30, choices=DepartmentResult.choices, blank=True)
    result_on = models.DateField(_("处理日期"), null=True, blank=True)
    result_doc_no = models.CharField(_("处理文书编号"), max_length=80, blank=True)
    result_note = models.TextField(_("处理情况"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("部门办理情况")
        verbose_name_plural = _("部门办理情况")

    def __str__(self) -> str:
        return f"{self.agency} {self.get_decision_display()} {self.filing_no}"


class ProcuratorateAction(models.TextChoices):
    PROSECUTORIAL_RECOMMENDATION = "PROSECUTORIAL_RECOMMENDATION", _("制发检察建议")
    SUPPORT_PROSECUTION = "SUPPORT_PROSECUTION", _("支持起诉")
    PUBLIC_INTEREST = "PUBLIC_INTEREST", _("公益诉讼")
    NO_ACTION = "NO_ACTION", _("不予处理（说明理由）")


class ReferralGround(models.TextChoices):
    """Conditions for passing a clue to the procuratorate (2024 notice, DOMAIN §1.3)."""

    NEF_WORKERS = "NEF_WORKERS", _("涉及新就业形态劳动者")
    SPECIAL_GROUPS = "SPECIAL_GROUPS", _("涉及女职工、未成年工、残疾职工、超龄劳动者")
    SOCIAL_INSURANCE = "SOCIAL_INSURANCE", _("欠缴社会保险费")
    MIGRANT_WAGES = "MIGRANT_WAGES", _("拖欠农民工工资")
    NOT_COOPERATING = "NOT_COOPERATING", _("用人单位拒不配合整改")


class ProcuratorateReferral(models.Model):
    """线索移送: the matter passed to the procuratorate as a clue, with its feedback (D28)."""

    # The matter a reminder of a clock on this row names and opens (mediation.clocks.reminders).
    clock_owner_path = "matter"

    matter = models.ForeignKey(SupervisionMatter, on_delete=models.PROTECT, related_name="referrals")
    agency = models.ForeignKey(Agency, verbose_name=_("接收检察院"), on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField(_("移送日期"))
    grounds = models.JSONField(_("移送情形"), default=list)
    note = models.TextField(_("移送说明"))
    action = models.CharField(_("检察院处理"), max_length=40, choices=ProcuratorateAction.choices, blank=True)
    closed_on = models.DateField(_("检察院办结日期"), null=True, blank=True)
    feedback = models.TextField(_("反馈内容"), blank=True)
    feedback_on = models.DateField(_("反馈日期"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("移送检察院线索")
        verbose_name_plural = _("移送检察院线索")
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.matter.matter_no} → {self.agency}"


class LinkDirection(models.TextChoices):
    CASE_SPAWNED_MATTER = "CASE_SPAWNED_MATTER", _("由调解案件发现线索")
    MATTER_SPAWNED_CASE = "MATTER_SPAWNED_CASE", _("由监督事项引出个案调解")


class MatterCaseLink(models.Model):
    """Links between a matter and mediation cases, both ways (DOMAIN §4.5)."""

    matter = models.ForeignKey(SupervisionMatter, on_delete=models.CASCADE, related_name="case_links")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supervision_links")
    direction = models.CharField(_("关联方式"), max_length=30, choices=LinkDirection.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("关联调解案件")
        verbose_name_plural = _("关联调解案件")
        constraints = [models.UniqueConstraint(fields=["matter", "case"], name="unique_matter_case")]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.matter_id} ↔ {self.case_id}"


class MatterEvent(AppendOnlyModel):
    """Append-only audit trail of a matter, written in the transaction of the change."""

    matter = models.ForeignKey(SupervisionMatter, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("操作"), max_length=60)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    changes = models.JSONField(_("变更"), default=dict, blank=True)
    visible_to_partners = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("监督事项日志")
        verbose_name_plural = _("监督事项日志")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["matter", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"



class SupervisionProcess(Process):
    """One run of workflows.supervision_flow.SupervisionFlow for a matter.

    The main run carries the ladder (§4.3); each procuratorate referral runs as its own
    process of the same flow (the parallel branch of §4.3), pointing to its referral.
    """

    matter = models.ForeignKey(
        SupervisionMatter, verbose_name=_("监督事项"), on_delete=models.PROTECT, related_name="processes"
    )
    referral = models.OneToOneField(
        ProcuratorateReferral, verbose_name=_("移送线索"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="process",
    )
    # The typed outcome of the step that just finished (mediation.supervision.outcomes); the gateways read it.
    outcome = models.CharField(_("环节结果"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("监督事项流程")
        verbose_name_plural = _("监督事项流程")
