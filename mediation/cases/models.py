"""The mediation case file (调解案件) and everything recorded on it.

DOMAIN §2 (states, transitions, closing codes) and §5.1–§5.5 (data model).
State changes happen only through mediation.cases.services.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from mediation.lib.audit import AppendOnlyModel
from mediation.lib.idempotency import SubmissionToken  # noqa: F401  (model lives in this app)
from mediation.lib.numbering import DocumentSequence  # noqa: F401  (model lives in this app)
from parties.models import Agency, County, Employer, Industry, Worker

# The largest single amount we accept: well above any labor claim, below typos like 1e12.
MAX_AMOUNT = Decimal("100000000.00")
money_validators = [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_AMOUNT)]


class Channel(models.TextChoices):
    """DOMAIN §2.1."""

    WALK_IN = "WALK_IN", _("来访")
    HOTLINE_12351 = "HOTLINE_12351", _("12351热线")
    ONLINE = "ONLINE", _("网上申请")
    COURT_DELEGATED = "COURT_DELEGATED", _("法院委派")
    COURT_ENTRUSTED = "COURT_ENTRUSTED", _("法院委托")
    ARB_REFERRED = "ARB_REFERRED", _("仲裁委转交")
    INSPECTION_REFERRED = "INSPECTION_REFERRED", _("劳动监察转交")
    PROCURATORATE_REFERRED = "PROCURATORATE_REFERRED", _("检察院移送")
    UNION_PROACTIVE = "UNION_PROACTIVE", _("工会排查")
    PETITION = "PETITION", _("信访/综治转办")


class CaseStatus(models.TextChoices):
    """DOMAIN §2.2."""

    DRAFT = "DRAFT", _("登记中")
    RECEIVED = "RECEIVED", _("已收件待审查")
    ACCEPTED = "ACCEPTED", _("已受理")
    NOT_ACCEPTED = "NOT_ACCEPTED", _("不予受理")
    REDIRECTED = "REDIRECTED", _("分流转办")
    IN_MEDIATION = "IN_MEDIATION", _("调解中")
    EXTENDED = "EXTENDED", _("延期调解")
    AGREEMENT_EFFECTIVE = "AGREEMENT_EFFECTIVE", _("达成调解协议（已生效）")
    CONFIRMATION_PENDING = "CONFIRMATION_PENDING", _("确认申请中")
    CONFIRMED = "CONFIRMED", _("已确认")
    CONFIRMATION_REFUSED = "CONFIRMATION_REFUSED", _("确认被驳回")
    PERFORMING = "PERFORMING", _("履行中")
    DEFAULTED = "DEFAULTED", _("逾期未履行")
    ENFORCEMENT = "ENFORCEMENT", _("申请支付令/强制执行")
    PERFORMED = "PERFORMED", _("履行完毕")
    MEDIATION_FAILED = "MEDIATION_FAILED", _("调解不成")
    REFERRED_OUT = "REFERRED_OUT", _("已转出")
    WITHDRAWN = "WITHDRAWN", _("撤回/自行和解")
    CLOSED = "CLOSED", _("结案")
    ARCHIVED = "ARCHIVED", _("归档")


OPEN_STATUSES = [
    s for s in CaseStatus.values
    if s not in (CaseStatus.CLOSED, CaseStatus.ARCHIVED)
]


class ClosingCode(models.TextChoices):
    """DOMAIN §2.5."""

    SUCCESS_PAID_ON_SPOT = "SUCCESS_PAID_ON_SPOT", _("调解成功·当场履行")
    SUCCESS_INSTALMENTS_DONE = "SUCCESS_INSTALMENTS_DONE", _("调解成功·分期履行")
    SUCCESS_JUDICIAL_CONFIRMED = "SUCCESS_JUDICIAL_CONFIRMED", _("调解成功·司法确认")
    SUCCESS_ARB_REVIEWED = "SUCCESS_ARB_REVIEWED", _("调解成功·仲裁审查确认")
    SUCCESS_PAYMENT_ORDER = "SUCCESS_PAYMENT_ORDER", _("调解成功·申请支付令")
    FAILED_TO_ARBITRATION = "FAILED_TO_ARBITRATION", _("调解不成·转仲裁")
    FAILED_TO_LITIGATION_LEGAL_AID = "FAILED_TO_LITIGATION_LEGAL_AID", _("调解不成·诉讼（法律援助）")
    FAILED_TO_LITIGATION_PROCURATORATE = "FAILED_TO_LITIGATION_PROCURATORATE", _("调解不成·诉讼（检察院支持起诉）")
    REFERRED_INSPECTION = "REFERRED_INSPECTION", _("移送劳动监察·责令整改")
    SUPERVISION_RECTIFIED = "SUPERVISION_RECTIFIED", _("一函两书·企业整改")
    NOT_ACCEPTED = "NOT_ACCEPTED", _("不予受理")
    WITHDRAWN = "WITHDRAWN", _("撤回")
    REDIRECTED = "REDIRECTED", _("转办")


class DisputeType(models.TextChoices):
    """The six primary claim types of DOMAIN §5.3."""

    WAGES = "WAGES", _("欠薪")
    SEVERANCE = "SEVERANCE", _("经济补偿")
    WORK_INJURY = "WORK_INJURY", _("工伤")
    SOCIAL_INSURANCE = "SOCIAL_INSURANCE", _("社保")
    OVERTIME = "OVERTIME", _("加班费")
    CONTRACT = "CONTRACT", _("劳动合同")


# Sub-types offered per type (DOMAIN §5.3); free text is allowed for local variants.
CLAIM_SUBTYPES = {
    DisputeType.WAGES: ["拖欠工资", "克扣工资", "计件/派费拖欠", "低于最低工资", "农民工工资", "劳务报酬"],
    DisputeType.SEVERANCE: ["解除/终止经济补偿", "关停搬迁集体解除", "违法解除赔偿金"],
    DisputeType.WORK_INJURY: ["工伤医疗费", "停工留薪期工资", "一次性伤残补助金", "工亡待遇", "职业病待遇", "未参保单位赔付"],
    DisputeType.SOCIAL_INSURANCE: ["未参保", "少缴/缴费基数不足", "补缴", "未缴致待遇损失赔偿"],
    DisputeType.OVERTIME: ["延时加班", "休息日/法定节假日加班", "超时加班", "综合工时争议"],
    DisputeType.CONTRACT: ["未签书面合同二倍工资", "违法解除/恢复劳动关系", "试用期违法", "扣押证件", "劳务派遣退回", "确认劳动关系", "竞业限制", "年休假"],
}


class ClaimItem(models.TextChoices):
    """What a claim asks for, item by item (DOMAIN §3.4): payment-order eligibility follows the item
    (调解仲裁法 Art. 16), not the dispute type. Which items are eligible is configuration
    (settings.PAYMENT_ORDER_ITEMS)."""

    WAGES = "WAGES", _("劳动报酬（工资）")
    OVERTIME = "OVERTIME", _("加班费")
    INJURY_MEDICAL = "INJURY_MEDICAL", _("工伤医疗费")
    DISABILITY_LUMP_SUM = "DISABILITY_LUMP_SUM", _("一次性伤残补助金")
    SUSPENSION_WAGES = "SUSPENSION_WAGES", _("停工留薪期工资")
    DEATH_BENEFITS = "DEATH_BENEFITS", _("工亡待遇")
    INJURY_OTHER = "INJURY_OTHER", _("其他工伤待遇")
    SEVERANCE = "SEVERANCE", _("经济补偿")
    DAMAGES = "DAMAGES", _("赔偿金")
    DOUBLE_WAGES = "DOUBLE_WAGES", _("未签劳动合同二倍工资")
    SOCIAL_INSURANCE = "SOCIAL_INSURANCE", _("社会保险")
    OTHER = "OTHER", _("其他")


# 调解仲裁法 Art. 16 (拖欠劳动报酬、工伤医疗费、经济补偿或者赔偿金), DOMAIN §3.4: 劳动报酬 includes wages and
# overtime pay; of the work-injury items only 工伤医疗费. The union may configure otherwise
# (settings.PAYMENT_ORDER_ITEMS).
PAYMENT_ORDER_ITEMS_DEFAULT = (ClaimItem.WAGES, ClaimItem.OVERTIME, ClaimItem.INJURY_MEDICAL,
                               ClaimItem.SEVERANCE, ClaimItem.DAMAGES)

# The item of each sub-type offered at intake; an unknown sub-type takes its type's default.
CLAIM_ITEM_BY_SUBTYPE = {
    "拖欠工资": ClaimItem.WAGES, "克扣工资": ClaimItem.WAGES, "计件/派费拖欠": ClaimItem.WAGES,
    "低于最低工资": ClaimItem.WAGES, "农民工工资": ClaimItem.WAGES, "劳务报酬": ClaimItem.OTHER,
    "解除/终止经济补偿": ClaimItem.SEVERANCE, "关停搬迁集体解除": ClaimItem.SEVERANCE,
    "违法解除赔偿金": ClaimItem.DAMAGES,
    "工伤医疗费": ClaimItem.INJURY_MEDICAL, "停工留薪期工资": ClaimItem.SUSPENSION_WAGES,
    "一次性伤残补助金": ClaimItem.DISABILITY_LUMP_SUM, "工亡待遇": ClaimItem.DEATH_BENEFITS,
    "职业病待遇": ClaimItem.INJURY_OTHER, "未参保单位赔付": ClaimItem.INJURY_OTHER,
    "未缴致待遇损失赔偿": ClaimItem.DAMAGES,
    "未签书面合同二倍工资": ClaimItem.DOUBLE_WAGES,
}
CLAIM_ITEM_BY_TYPE = {
    DisputeType.WAGES: ClaimItem.WAGES, DisputeType.OVERTIME: ClaimItem.OVERTIME,
    DisputeType.SEVERANCE: ClaimItem.SEVERANCE, DisputeType.WORK_INJURY: ClaimItem.INJURY_OTHER,
    DisputeType.SOCIAL_INSURANCE: ClaimItem.SOCIAL_INSURANCE, DisputeType.CONTRACT: ClaimItem.OTHER,
}


def claim_item_for(dispute_type: str, subtype: str) -> str:
    """The claim item a sub-type typed at intake (or imported) stands for: an offered sub-type of its
    dispute type gives its item, anything else the dispute type's default."""
    subtype = (subtype or "").strip()
    offered = {str(t): subtypes for t, subtypes in CLAIM_SUBTYPES.items()}.get(str(dispute_type), ())
    item = CLAIM_ITEM_BY_SUBTYPE.get(subtype) if subtype in offered else None
    return str(item or {str(t): i for t, i in CLAIM_ITEM_BY_TYPE.items()}.get(str(dispute_type), ClaimItem.OTHER))


def payment_order_items() -> frozenset[str]:
    return frozenset(str(i) for i in getattr(settings, "PAYMENT_ORDER_ITEMS", PAYMENT_ORDER_ITEMS_DEFAULT))

# 劳动报酬 (wages and overtime pay, DOMAIN §3.4): in arrears during the employment, the one-year
# limitation does not run until the employment ends (调解仲裁法 Art. 27 para 4).
LABOR_REMUNERATION_TYPES = {DisputeType.WAGES, DisputeType.OVERTIME}


class EmploymentForm(models.TextChoices):
    STANDARD = "STANDARD", _("标准劳动关系")
    DISPATCH = "DISPATCH", _("劳务派遣")
    PART_TIME = "PART_TIME", _("非全日制")
    NEF_LABOR = "NEF_LABOR", _("新就业形态-符合劳动关系")
    NEF_INCOMPLETE = "NEF_INCOMPLETE", _("新就业形态-不完全符合确立劳动关系")
    NEF_CIVIL = "NEF_CIVIL", _("依托平台自主经营")
    SERVICE = "SERVICE", _("劳务关系")
    UNCLEAR = "UNCLEAR", _("待确认")


class CourtProcedure(models.TextChoices):
    """The court's procedure in an entrusted case: it sets the period of D11 (DOMAIN §2.1)."""

    ORDINARY = "ORDINARY", _("普通程序")
    SUMMARY = "SUMMARY", _("简易程序")


COURT_CHANNELS = (Channel.COURT_DELEGATED, Channel.COURT_ENTRUSTED)


class Case(models.Model):
    case_no = models.CharField(_("案号"), max_length=60, unique=True)
    year = models.PositiveIntegerField(_("年度"))
    agency = models.ForeignKey(
        Agency, verbose_name=_("承办机构"), on_delete=models.PROTECT, related_name="cases"
    )
    county = models.CharField(_("县区"), max_length=6, choices=County.choices, db_index=True)
    town = models.CharField(_("镇/街道"), max_length=60, blank=True)
    channel = models.CharField(_("来源渠道"), max_length=30, choices=Channel.choices)
    source_agency = models.ForeignKey(
        Agency, verbose_name=_("委派/转交机构"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="delegated_cases",
    )
    source_ref = models.CharField(_("来源文号"), max_length=80, blank=True)
    hotline_ticket = models.CharField(_("热线工单号"), max_length=60, blank=True)
    court_prefiling_no = models.CharField(_("法院诉前调号"), max_length=60, blank=True)
    court_due_date = models.DateField(_("法院委派期限"), null=True, blank=True)
    court_procedure = models.CharField(_("法院审理程序"), max_length=10, choices=CourtProcedure.choices, blank=True)
    title = models.CharField(_("案由摘要"), max_length=200)
    facts = models.TextField(_("事实与理由"))
    industry = models.CharField(_("行业"), max_length=20, choices=Industry.choices, default=Industry.OTHER)
    employment_form = models.CharField(
        _("用工形式"), max_length=20, choices=EmploymentForm.choices, default=EmploymentForm.STANDARD
    )
    is_collective = models.BooleanField(_("集体争议"), default=False)
    workers_count = models.PositiveIntegerField(_("涉及人数"), default=0)
    # Tallies of this case's own worker flags (CaseWorker), kept by the case services so that the
    # cockpit sums cases instead of joining every worker (mediation/statistics, docs/statistics.md).
    workers_migrant = models.PositiveIntegerField(_("其中农民工人数"), default=0, editable=False)
    workers_nef = models.PositiveIntegerField(_("其中新就业形态人数"), default=0, editable=False)
    status = models.CharField(
        _("状态"), max_length=30, choices=CaseStatus.choices, default=CaseStatus.DRAFT, db_index=True
    )
    received_on = models.DateField(_("收件日期"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    agreement_effective_on = models.DateField(_("协议生效日期"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    lead_mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("主办调解员"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="lead_cases",
    )
    assistant_mediators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("协办调解员"), blank=True, related_name="assisted_cases"
    )
    decision_reason = models.TextField(_("不予受理/转办理由"), blank=True)
    redirected_to = models.CharField(_("转办去向"), max_length=120, blank=True)
    failure_reason = models.TextField(_("调解终止理由"), blank=True)
    withdrawal_effect = models.TextField(_("撤回的后果"), blank=True)
    closing_code = models.CharField(_("结案方式"), max_length=40, choices=ClosingCode.choices, blank=True)
    closing_note = models.TextField(_("结案说明"), blank=True)
    follow_up_done = models.BooleanField(_("已回访"), default=False)
    is_restricted = models.BooleanField(_("涉未成年人等敏感信息，限制查阅"), default=False)
    joint_peoples_mediation = models.BooleanField(
        _("与人民调解委员会联合调解"), default=False,
        help_text=_("与人民调解委员会共同受理调解的案件，另计人民调解期限（一般一个月，《人民调解工作若干规定》第三十三条）"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("调解案件")
        verbose_name_plural = _("调解案件")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("view_case_personal_data", _("查看当事人完整个人信息")),
        ]
        indexes = [
            models.Index(fields=["county", "status", "-created_at"]),
            models.Index(fields=["county", "-created_at", "-id"]),
            models.Index(fields=["-created_at", "-id"]),
            models.Index(fields=["agency", "-created_at"]),
            models.Index(fields=["lead_mediator", "status"]),
            # The cockpit's period filters (mediation/statistics).
            models.Index(fields=["received_on"], name="case_received_on_idx"),
            models.Index(fields=["closed_on"], name="case_closed_on_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_no} {self.title}"

    @property
    def is_archived(self) -> bool:
        return self.status == CaseStatus.ARCHIVED

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def reports_to_court(self) -> bool:
        """Delegated or entrusted by a court: the union reports the result back (DOMAIN §2.3)."""
        return self.channel in COURT_CHANNELS and self.source_agency_id is not None


class CaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("案件用户权限")


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("案件机构权限")


class CaseWorker(models.Model):
    """A worker on a case; a collective case has many, some elected representatives (Art. 7).

    What this case says about the person — name, phone, special-group flags — is kept here,
    as registered for this case. Another case with the same ID number never changes it
    (issue 9 item 1); `worker` is only the identity.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_workers")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="case_links")
    name = models.CharField(_("姓名"), max_length=40, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    is_migrant = models.BooleanField(_("农民工/进城务工人员"), default=False)
    is_new_employment_form = models.BooleanField(_("新就业形态劳动者"), default=False)
    has_disability = models.BooleanField(_("残疾职工"), default=False)
    is_over_age = models.BooleanField(_("超龄劳动者"), default=False)
    is_hardship = models.BooleanField(_("困难职工"), default=False)
    is_union_member = models.BooleanField(_("工会会员"), default=False)
    is_applicant = models.BooleanField(_("申请人"), default=True)
    is_representative = models.BooleanField(_("推举代表"), default=False)
    authorization = models.CharField(_("授权委托说明"), max_length=200, blank=True)
    amount_claimed = models.DecimalField(
        _("个人请求金额（元）"), max_digits=12, decimal_places=2, default=Decimal("0"), validators=money_validators
    )
    amount_agreed = models.DecimalField(
        _("个人协议金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True, validators=money_validators
    )

    class Meta:
        verbose_name = _("案件劳动者")
        verbose_name_plural = _("案件劳动者")
        constraints = [models.UniqueConstraint(fields=["case", "worker"], name="unique_case_worker")]
        ordering = ["-is_representative", "id"]

    def __str__(self) -> str:
        return f"{self.name or self.worker} @ {self.case_id}"

    def save(self, *args, **kwargs):
        if not self.name and self.worker_id:
            self.name = self.worker.name
        if not self.phone and self.worker_id:
            self.phone = self.worker.phone
        super().save(*args, **kwargs)

    @property
    def id_number(self) -> str:
        return self.worker.id_number

    def age_on(self, day) -> int | None:
        return self.worker.age_on(day)

    def possible_child_labour(self, day) -> bool:
        """Under 16 on the day the dispute was received: the case offers a referral to labour
        inspection (禁止使用童工规定)."""
        return self.worker.is_below_working_age_on(day)

    def special_groups(self, day) -> list[str]:
        """The groups this case records for the person (the flags as registered on this case;
        sex and age from the ID number)."""
        w = self.worker
        groups = []
        if self.is_migrant:
            groups.append(str(_("农民工")))
        if w.is_woman:
            groups.append(str(_("女职工")))
        if w.is_below_working_age_on(day):
            groups.append(str(_("未满16周岁（疑似童工）")))
        elif w.is_minor_on(day):
            groups.append(str(_("未成年工")))
        if self.has_disability:
            groups.append(str(_("残疾职工")))
        if self.is_over_age:
            groups.append(str(_("超龄劳动者")))
        if self.is_new_employment_form:
            groups.append(str(_("新就业形态劳动者")))
        if self.is_hardship:
            groups.append(str(_("困难职工")))
        return groups


class RespondentRole(models.TextChoices):
    EMPLOYER = "EMPLOYER", _("用人单位")
    GENERAL_CONTRACTOR = "GENERAL_CONTRACTOR", _("总包")
    SUBCONTRACTOR = "SUBCONTRACTOR", _("分包")
    CREW_BOSS = "CREW_BOSS", _("包工头")
    HOST_EMPLOYER = "HOST_EMPLOYER", _("用工单位")
    DISPATCH_AGENCY = "DISPATCH_AGENCY", _("派遣单位")
    PLATFORM = "PLATFORM", _("平台企业")
    PLATFORM_PARTNER = "PLATFORM_PARTNER", _("合作用工企业")
    OWNER = "OWNER", _("发包方/业主")
    GUARANTOR = "GUARANTOR", _("担保人")


class CaseRespondent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="respondents")
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="case_links")
    person_name = models.CharField(_("自然人姓名"), max_length=40, blank=True)
    person_phone = models.CharField(_("自然人电话"), max_length=20, blank=True)
    role = models.CharField(_("角色"), max_length=30, choices=RespondentRole.choices, default=RespondentRole.EMPLOYER)

    class Meta:
        verbose_name = _("被申请人")
        verbose_name_plural = _("被申请人")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.employer or self.person_name)


class AgentKind(models.TextChoices):
    LAWYER = "LAWYER", _("律师")
    LEGAL_AID_LAWYER = "LEGAL_AID_LAWYER", _("法律援助律师")
    RELATIVE = "RELATIVE", _("近亲属")
    UNION = "UNION", _("工会推荐代理人")
    OTHER = "OTHER", _("其他")


class CaseAgent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agents")
    represents = models.ForeignKey(
        CaseWorker, null=True, blank=True, on_delete=models.CASCADE, related_name="agents",
        help_text=_("为空表示代理用人单位一方"),
    )
    name = models.CharField(_("姓名"), max_length=40)
    kind = models.CharField(_("代理类型"), max_length=20, choices=AgentKind.choices)
    phone = models.CharField(_("电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("代理人")
        verbose_name_plural = _("代理人")

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class Claim(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="claims")
    dispute_type = models.CharField(_("争议类型"), max_length=20, choices=DisputeType.choices)
    subtype = models.CharField(_("具体诉求"), max_length=40)
    item = models.CharField(_("请求项目"), max_length=30, choices=ClaimItem.choices, default=ClaimItem.OTHER,
                            help_text=_("决定能否申请支付令（调解仲裁法第十六条）"))
    case_worker = models.ForeignKey(
        CaseWorker, null=True, blank=True, on_delete=models.CASCADE, related_name="claims",
        help_text=_("为空表示全体申请人"),
    )
    period_from = models.DateField(_("期间自"), null=True, blank=True)
    period_to = models.DateField(_("期间至"), null=True, blank=True)
    amount_claimed = models.DecimalField(
        _("请求金额（元）"), max_digits=12, decimal_places=2, validators=money_validators
    )
    amount_agreed = models.DecimalField(
        _("协议金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True, validators=money_validators
    )
    basis = models.TextField(_("事实与依据"), blank=True)
    # D12 (调解仲裁法 Art. 27): what the limitation period of this claim runs from.
    knew_on = models.DateField(_("知道或者应当知道权利被侵害之日"), null=True, blank=True)
    employment_continuing = models.BooleanField(_("劳动关系仍存续"), default=False)
    employment_ended_on = models.DateField(_("劳动关系终止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_dispute_type_display()}·{self.subtype}"

    @property
    def payment_order_eligible(self) -> bool:
        return self.item in payment_order_items()

    @property
    def is_labor_remuneration(self) -> bool:
        return self.item in (ClaimItem.WAGES, ClaimItem.OVERTIME)

    def clean(self) -> None:
        errors = {}
        if self.employment_continuing and self.employment_ended_on:
            errors["employment_ended_on"] = _("劳动关系仍存续的，不应填写劳动关系终止日期。")
        if errors:
            raise ValidationError(errors)


class SessionForm(models.TextChoices):
    FACE_TO_FACE = "FACE_TO_FACE", _("面对面")
    CAUCUS = "CAUCUS", _("背靠背")
    VIDEO = "VIDEO", _("视频调解")


class MediationSession(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField(_("调解时间"))
    form = models.CharField(_("调解方式"), max_length=20, choices=SessionForm.choices)
    place = models.CharField(_("地点"), max_length=120, blank=True)
    participants = models.TextField(_("参加人员"))
    points_in_dispute = models.TextField(_("争议焦点"))
    proposals = models.TextField(_("调解方案/各方意见"), blank=True)
    result = models.TextField(_("本次结果与下一步"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_at:%Y-%m-%d}"


class Extension(models.Model):
    """T7: extension of the mediation period with both parties' recorded consent."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveIntegerField(_("延长天数"))
    applicant_consent = models.CharField(_("申请人同意方式"), max_length=200)
    respondent_consent = models.CharField(_("被申请人同意方式"), max_length=200)
    consented_on = models.DateField(_("同意日期"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("延期调解")
        verbose_name_plural = _("延期调解")

    def __str__(self) -> str:
        return f"{self.case_id} +{self.days}"


class ConfirmationPath(models.TextChoices):
    NONE = "NONE", _("不申请确认")
    JUDICIAL = "JUDICIAL", _("司法确认")
    ARBITRAL = "ARBITRAL", _("仲裁审查确认")


class Agreement(models.Model):
    """调解协议书 (T8). Effective once signed by both parties and the mediator, and sealed."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="agreement")
    terms = models.TextField(_("协议内容"))
    amount_total = models.DecimalField(_("协议金额合计（元）"), max_digits=12, decimal_places=2, validators=money_validators)
    signed_on = models.DateField(_("签订日期"))
    applicant_signed = models.BooleanField(_("申请人已签字"), default=False)
    respondent_signed = models.BooleanField(_("被申请人已签字/盖章"), default=False)
    mediator_signed = models.BooleanField(_("调解员已签字"), default=False)
    sealed = models.BooleanField(_("调解组织已盖章"), default=False)
    paid_on_spot = models.BooleanField(_("当场履行"), default=False)
    confirmation_path = models.CharField(
        _("确认途径"), max_length=20, choices=ConfirmationPath.choices, default=ConfirmationPath.NONE
    )
    default_clause = models.TextField(_("违约条款"), blank=True)

    class Meta:
        verbose_name = _("调解协议")
        verbose_name_plural = _("调解协议")

    def __str__(self) -> str:
        return f"{self.case_id} {self.signed_on}"


class Instalment(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="instalments")
    due_on = models.DateField(_("应付日期"))
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2, validators=money_validators)
    paid_on = models.DateField(_("实付日期"), null=True, blank=True)
    proof = models.CharField(_("付款凭证"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("分期付款")
        verbose_name_plural = _("分期付款")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["paid_on"], name="instalment_paid_on_idx")]

    def __str__(self) -> str:
        return f"{self.due_on} {self.amount}"


class FollowUpVisit(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("回访日期"))
    method = models.CharField(_("回访方式"), max_length=40)
    findings = models.TextField(_("回访情况"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["visited_on"]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.method}"


class RequestKind(models.TextChoices):
    """What the case asks of the court or arbitration after an agreement (T11, T15)."""

    JUDICIAL_CONFIRMATION = "JUDICIAL_CONFIRMATION", _("司法确认")
    ARBITRAL_REVIEW = "ARBITRAL_REVIEW", _("仲裁审查确认")
    PAYMENT_ORDER = "PAYMENT_ORDER", _("支付令")


class RequestDecision(models.TextChoices):
    PENDING = "", _("待审查")
    CONFIRMED = "CONFIRMED", _("确认/发出")
    REFUSED = "REFUSED", _("驳回/不予受理")
    WITHDRAWN = "WITHDRAWN", _("申请人撤回")


class DebtorResponse(models.TextChoices):
    """What the debtor did within 15 days of service of the payment order (D26)."""

    NONE = "", _("尚未答复")
    PAID = "PAID", _("债务人已清偿")
    OBJECTED = "OBJECTED", _("债务人提出书面异议")
    LAPSED = "LAPSED", _("期满既未清偿也未异议")


class ConfirmationRequest(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="confirmation_requests")
    kind = models.CharField(_("类型"), max_length=30, choices=RequestKind.choices)
    target_agency = models.ForeignKey(Agency, verbose_name=_("受理机构"), on_delete=models.PROTECT, related_name="+")
    filed_on = models.DateField(_("申请日期"))
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    decision = models.CharField(_("结果"), max_length=20, choices=RequestDecision.choices, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    ruling_no = models.CharField(_("裁定书/调解书文号"), max_length=80, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    # Judicial confirmation: the decision period may be extended with the court president's approval.
    extension_days = models.PositiveSmallIntegerField(_("延长审查天数"), default=0)
    extension_approval = models.CharField(_("延长批准情况"), max_length=200, blank=True)
    # Payment order: service on the debtor starts its 15 days (D26); what the debtor did.
    served_on = models.DateField(_("支付令送达日期"), null=True, blank=True)
    debtor_response = models.CharField(_("债务人答复"), max_length=20, choices=DebtorResponse.choices, blank=True)
    debtor_response_on = models.DateField(_("答复日期"), null=True, blank=True)
    debtor_response_note = models.TextField(_("答复情况"), blank=True)

    class Meta:
        verbose_name = _("确认/支付令申请")
        verbose_name_plural = _("确认/支付令申请")
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filed_on}"


class EnforcementStatus(models.TextChoices):
    FILED = "FILED", _("已申请")
    ACCEPTED = "ACCEPTED", _("已立案执行")
    ENFORCED = "ENFORCED", _("执行完毕")
    TERMINATED = "TERMINATED", _("终结执行/终结本次执行")
    WITHDRAWN = "WITHDRAWN", _("申请人撤回")


ENFORCEMENT_OPEN = (EnforcementStatus.FILED, EnforcementStatus.ACCEPTED)


class EnforcementApplication(models.Model):
    """T16: an application to the court to enforce a confirmed agreement (确认裁定, 仲裁调解书) or a payment
    order the debtor neither paid nor objected to — tracked until the court's result."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="enforcement_applications")
    title = models.ForeignKey(ConfirmationRequest, verbose_name=_("执行依据"), on_delete=models.PROTECT,
                              related_name="enforcement_applications")
    court = models.ForeignKey(Agency, verbose_name=_("执行法院"), on_delete=models.PROTECT, related_name="+")
    filed_on = models.DateField(_("申请日期"))
    status = models.CharField(_("状态"), max_length=20, choices=EnforcementStatus.choices,
                              default=EnforcementStatus.FILED)
    accepted_on = models.DateField(_("立案日期"), null=True, blank=True)
    case_no = models.CharField(_("执行案号"), max_length=80, blank=True)
    result_on = models.DateField(_("结果日期"), null=True, blank=True)
    result_note = models.TextField(_("执行结果"), blank=True)

    class Meta:
        verbose_name = _("强制执行申请")
        verbose_name_plural = _("强制执行申请")
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.filed_on} {self.get_status_display()}"


class ReferralKind(models.TextChoices):
    """T19 destinations, each handled by a unit of a partner agency."""

    ARBITRATION = "ARBITRATION", _("劳动仲裁")
    LEGAL_AID = "LEGAL_AID", _("法律援助")
    SUPPORT_PROSECUTION = "SUPPORT_PROSECUTION", _("检察院支持起诉")
    INSPECTION = "INSPECTION", _("劳动保障监察")
    LITIGATION = "LITIGATION", _("诉讼（支付令异议后）")


class AwardKind(models.TextChoices):
    """调解仲裁法 Arts. 47–50: which windows a received award opens (a mixed award counts as non-final)."""

    FINAL = "FINAL", _("终局裁决")
    NON_FINAL = "NON_FINAL", _("非终局裁决")
    MIXED = "MIXED", _("部分终局（按非终局裁决处理）")


class ReferralStatus(models.TextChoices):
    SENT = "SENT", _("已移送")
    RECEIVED = "RECEIVED", _("已接收")
    DECIDED = "DECIDED", _("已作出决定")
    DONE = "DONE", _("已反馈结果")


class Referral(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(_("移送类型"), max_length=30, choices=ReferralKind.choices)
    target_agency = models.ForeignKey(Agency, verbose_name=_("接收机构"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    sent_on = models.DateField(_("移送日期"))
    note = models.TextField(_("移送说明"), blank=True)
    received_on = models.DateField(_("接收日期"), null=True, blank=True)
    accepted = models.BooleanField(_("决定受理/援助/支持"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_note = models.TextField(_("决定说明"), blank=True)
    result = models.TextField(_("处理结果"), blank=True)
    document_no = models.CharField(_("文书编号"), max_length=80, blank=True)
    result_on = models.DateField(_("结果日期"), null=True, blank=True)
    # Labour inspection (D31, 劳动保障监察条例 Art. 20): the two-year look-back.
    violation_on = models.DateField(_("违法行为发生日（连续或继续状态的，为行为终了日）"), null=True, blank=True)
    lookback_acknowledged = models.BooleanField(_("已知悉超过二年查处期限的提示"), default=False)
    # Arbitration (D14–D18).
    tribunal_notified_on = models.DateField(_("仲裁庭组成通知日期"), null=True, blank=True)
    award_extension_days = models.PositiveIntegerField(_("批准延期裁决天数"), default=0)
    award_on = models.DateField(_("裁决日期"), null=True, blank=True)
    award_kind = models.CharField(_("裁决类型"), max_length=20, choices=AwardKind.choices, blank=True)
    award_received_on = models.DateField(_("收到裁决书日期"), null=True, blank=True)
    award_challenged_on = models.DateField(_("当事人起诉或申请撤销裁决的日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("转出移送")
        verbose_name_plural = _("转出移送")
        ordering = ["sent_on", "id"]
        indexes = [models.Index(fields=["sent_on"], name="referral_sent_on_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.target_agency_id}"


class CourtResult(models.TextChoices):
    SUCCESS = "SUCCESS", _("调解成功")
    FAILED = "FAILED", _("调解不成")
    WITHDRAWN = "WITHDRAWN", _("申请人撤回")


class CourtFollowUp(models.TextChoices):
    """What follows a successful delegated / entrusted mediation at the court (DOMAIN §2.3)."""

    JUDICIAL_CONFIRMATION = "JUDICIAL_CONFIRMATION", _("当事人申请司法确认")
    SUIT_WITHDRAWN = "SUIT_WITHDRAWN", _("原告撤回起诉")
    MEDIATION_STATEMENT = "MEDIATION_STATEMENT", _("请法院出具民事调解书")


class CourtReport(models.Model):
    """The union's structured report of a delegated / entrusted mediation to the court that sent it,
    with the agreement or the termination note attached, and the court's acknowledgement."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="court_reports")
    court = models.ForeignKey(Agency, verbose_name=_("委派/委托法院"), on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("调解结果"), max_length=20, choices=CourtResult.choices)
    follow_up = models.CharField(_("后续处理"), max_length=30, choices=CourtFollowUp.choices, blank=True)
    document = models.ForeignKey(
        "CaseDocument", verbose_name=_("随附文书"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="court_reports",
    )
    note = models.TextField(_("反馈说明"), blank=True)
    sent_on = models.DateField(_("反馈日期"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("反馈人"), on_delete=models.PROTECT,
                                related_name="+")
    acknowledged_on = models.DateField(_("法院确认收到日期"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("法院确认人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledgement_note = models.TextField(_("法院意见"), blank=True)
    court_case_no = models.CharField(_("法院案号"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("向法院反馈调解结果")
        verbose_name_plural = _("向法院反馈调解结果")
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_result_display()} → {self.court_id}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"cases/{instance.case_id}/{filename}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    session = models.ForeignKey(
        MediationSession, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("材料名称"), max_length=120)
    file = models.FileField(_("文件"), upload_to=attachment_path)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件材料")
        verbose_name_plural = _("附件材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class CaseEvent(AppendOnlyModel):
    """Append-only audit trail, written in the same transaction as the change it records."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("操作"), max_length=60)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    changes = models.JSONField(_("变更"), default=dict, blank=True)
    # Partners see only the events of the steps addressed to them (DOMAIN §1.5).
    visible_to_partners = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("案件日志")
        verbose_name_plural = _("案件日志")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"



# ---------------------------------------------------------------- paperwork (文书) and the case file (卷宗)


class DocumentKind(models.TextChoices):
    """The documents of each step (issue 10), rendered from admin-editable templates."""

    ACCEPTANCE_NOTICE = "ACCEPTANCE_NOTICE", _("受理通知书")
    NON_ACCEPTANCE_NOTICE = "NON_ACCEPTANCE_NOTICE", _("不予受理通知书")
    SESSION_RECORD = "SESSION_RECORD", _("调解笔录")
    AGREEMENT = "AGREEMENT", _("调解协议书")
    SERVICE_RECEIPT = "SERVICE_RECEIPT", _("送达回证")
    CONFIRMATION_APPLICATION = "CONFIRMATION_APPLICATION", _("司法确认申请书")
    TERMINATION_NOTICE = "TERMINATION_NOTICE", _("调解终止告知书")
    CLOSING_REPORT = "CLOSING_REPORT", _("结案报告")
    CASE_FILE = "CASE_FILE", _("卷宗")


class CaseDocumentTemplate(models.Model):
    """The template a case document is rendered from; editable in the admin, checked by the sandbox."""

    kind = models.CharField(_("文书类型"), max_length=30, choices=DocumentKind.choices, unique=True)
    name = models.CharField(_("模板名称"), max_length=100)
    source = models.TextField(_("模板内容"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("案件文书模板")
        verbose_name_plural = _("案件文书模板")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from .paperwork import validate_template_source

        validate_template_source(self.source)


def document_path(instance: CaseDocument, filename: str) -> str:
    return f"cases/{instance.case_id}/documents/{filename}"


class CaseDocument(models.Model):
    """A document printed for signing (or the bound case file), frozen with its SHA-256.

    Never changed once stored; only the signed scan is attached later."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("文书类型"), max_length=30, choices=DocumentKind.choices)
    session = models.ForeignKey(
        MediationSession, verbose_name=_("调解记录"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="documents",
    )
    served = models.ForeignKey(
        "self", verbose_name=_("送达的文书"), null=True, blank=True, on_delete=models.PROTECT, related_name="receipts"
    )
    doc_no = models.CharField(_("文号"), max_length=80, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    rendered_text = models.TextField(_("文书正文（定稿）"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to=document_path)
    pages = models.PositiveIntegerField(_("页数"), default=0)
    sha256 = models.CharField(_("PDF SHA-256"), max_length=64)
    case_status = models.CharField(_("生成时案件状态"), max_length=30, choices=CaseStatus.choices)
    signed_scan = models.OneToOneField(
        Attachment, verbose_name=_("签字件扫描"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="signed_document",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("案件文书")
        verbose_name_plural = _("案件文书")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "kind"])]

    def __str__(self) -> str:
        return f"{self.doc_no or self.title}"
