"""Typical cases (典型案例), their versions and audit trail, synonyms and saved searches.

DOMAIN §2.6 (pipeline) and §5.7 (fields). State changes happen only through
search.services; the search index is fed from these rows by search.indexing.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from mediation.cases.models import Channel, ClosingCode, DisputeType, money_validators
from mediation.lib.audit import AppendOnlyModel
from parties.models import Agency, County

_SYNONYM_SPLIT = re.compile(r"[,，、/;；]+")


class TypicalCaseStatus(models.TextChoices):
    """DOMAIN §2.6."""

    NOMINATED = "NOMINATED", _("提名")
    DRAFTING = "DRAFTING", _("撰写")
    DEIDENTIFIED = "DEIDENTIFIED", _("脱敏核查")
    UNDER_REVIEW = "UNDER_REVIEW", _("审核")
    PUBLISHED = "PUBLISHED", _("已发布")
    REJECTED = "REJECTED", _("未采用")
    UNPUBLISHED = "UNPUBLISHED", _("已撤回发布")


class PartnerAgency(models.TextChoices):
    """The controlled list of agencies of DOMAIN §5.7."""

    UNION = "UNION", _("工会")
    COURT = "COURT", _("法院")
    PROCURATORATE = "PROCURATORATE", _("检察院")
    JUSTICE = "JUSTICE", _("司法局")
    ARBITRATION = "ARBITRATION", _("仲裁委")
    INSPECTION = "INSPECTION", _("劳动监察")
    HRSS = "HRSS", _("人社局")


class EmployerPolicy(models.TextChoices):
    """How employer names are published (DOMAIN §2.6: companies become "某 + industry + 公司")."""

    INDUSTRY = "INDUSTRY", _("改为“某+行业+公司”")
    KEEP = "KEEP", _("保留单位名称")


# The items a reviewer ticks before a typical case may be published (DOMAIN §2.6, §5.8).
DEIDENTIFICATION_CHECKLIST = [
    ("names", _("人员姓名均已改为“姓+某”")),
    ("id_phone", _("身份证号码、电话号码已全部删除")),
    ("employers", _("用人单位名称已按发布规则处理")),
    ("address_caseno", _("详细地址、案号等可识别信息已删除")),
    ("sensitive", _("不涉及未成年人、病情等敏感信息，或已作特殊处理")),
    ("facts", _("内容与原案件事实一致，表述客观")),
]


# Pipeline actions as recorded in versions and events (search.services).
ACTION_LABELS = {
    "nominate": _("提名"), "create": _("撰写"), "edit": _("修改"), "deidentify": _("脱敏处理"),
    "submit": _("提交审核"), "review": _("勾选核查清单"), "publish": _("审核发布"), "return": _("退回修改"),
    "reject": _("不予采用"), "unpublish": _("撤回发布"), "import": _("批量导入发布"),
}


def label_of(choices: type[models.TextChoices], value: str) -> str:
    """The display label of a stored code (the code itself if unknown)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class Topic(models.Model):
    """A topic (专题) of the library, e.g. 新就业形态 or 女职工权益: several per case, editable in the admin.

    The six primary dispute types stay as they are for statistics; a topic cuts across them.
    `implied_dispute_type` and `aliases` let the importer map a dispute-type label that is
    really a topic (a library's "劳务派遣" column) to this topic plus a primary type."""

    name = models.CharField(_("专题名称"), max_length=30, unique=True)
    implied_dispute_type = models.CharField(
        _("对应的主要争议类型"), max_length=20, choices=DisputeType.choices, blank=True,
        help_text=_("导入时把争议类型写成本专题的记录，按此类型入库；留空则要求记录另填争议类型。"),
    )
    aliases = models.CharField(
        _("别名"), max_length=200, blank=True,
        help_text=_("导入文件中可能出现的其他写法，用逗号分隔，如“女职工, 三期女职工”。"),
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    enabled = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("专题")
        verbose_name_plural = _("专题")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return [a.strip() for a in _SYNONYM_SPLIT.split(self.aliases or "") if a.strip()]


class ConceptKind(models.TextChoices):
    BROADER = "BROADER", _("上位概念（扩展到下位概念）")
    COLLOQUIAL = "COLLOQUIAL", _("口语说法（扩展到书面表述）")


class ConceptEntry(models.Model):
    """One entry of the legal concept dictionary: a term and what a search for it also looks for.

    Unlike a synonym group the expansion is one way (三期 finds 哺乳期; 哺乳期 does not find
    三期) and scores below the typed words. Applied at query time on both backends."""

    term = models.CharField(_("词语"), max_length=30, unique=True)
    kind = models.CharField(_("类型"), max_length=12, choices=ConceptKind.choices, default=ConceptKind.BROADER)
    expansions = models.TextField(
        _("扩展为"), help_text=_("下位概念或书面表述，用逗号分隔，如“孕期, 产期, 哺乳期, 怀孕, 产假”。"),
    )
    source = models.CharField(_("依据"), max_length=200, blank=True)
    enabled = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("法律概念词典")
        verbose_name_plural = _("法律概念词典")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.term} → {self.expansions[:60]}"

    @property
    def expansion_list(self) -> list[str]:
        out = []
        for t in _SYNONYM_SPLIT.split(self.expansions or ""):
            t = t.strip()
            if t and t != self.term and t not in out:
                out.append(t)
        return out

    def clean(self):
        self.term = (self.term or "").strip()
        terms = self.expansion_list
        if not terms:
            raise ValidationError({"expansions": _("至少填写一个扩展词，用逗号分隔。")})
        if any(len(t) > 30 or any(ch.isspace() for ch in t) for t in [self.term, *terms]):
            raise ValidationError({"expansions": _("每个词不超过30个字符，且不能包含空格。")})


class TypicalCase(models.Model):
    title = models.CharField(_("标题"), max_length=200)
    county = models.CharField(_("县区"), max_length=6, choices=County.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    dispute_type = models.CharField(_("争议类型"), max_length=20, choices=DisputeType.choices)
    tags = models.JSONField(_("关键词"), default=list, blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("专题"), blank=True, related_name="typical_cases")
    agencies = models.JSONField(_("参与机构"), default=list, blank=True)
    channel = models.CharField(_("来源渠道"), max_length=30, choices=Channel.choices, blank=True)
    outcome = models.CharField(_("结果"), max_length=40, choices=ClosingCode.choices, blank=True)
    amount_yuan = models.DecimalField(
        _("涉及金额（元）"), max_digits=12, decimal_places=2, default=Decimal("0"), validators=money_validators
    )
    workers_count = models.PositiveIntegerField(_("涉及人数"), default=1)
    summary = models.TextField(_("案例概况"))
    handling = models.TextField(_("履职情况"), blank=True)
    significance = models.TextField(_("典型意义"), blank=True)
    legal_basis = models.TextField(_("法律依据"), blank=True)
    source_case = models.ForeignKey(
        "cases.Case", verbose_name=_("来源案件"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="typical_cases",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=TypicalCaseStatus.choices, default=TypicalCaseStatus.NOMINATED,
        db_index=True,
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提名人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("提名机构"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    employer_policy = models.CharField(
        _("单位名称处理"), max_length=10, choices=EmployerPolicy.choices, default=EmployerPolicy.INDUSTRY
    )
    checklist = models.JSONField(_("脱敏核查清单"), default=dict, blank=True)
    deidentified_at = models.DateTimeField(_("脱敏时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    rejection_reason = models.TextField(_("退回/不采用理由"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例")
        ordering = ["-year", "-published_at", "-id"]
        constraints = [
            # The identity used by the importer: the same file imported twice changes nothing.
            models.UniqueConstraint(fields=["title", "county", "year"], name="unique_typical_case_identity"),
        ]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == TypicalCaseStatus.PUBLISHED

    @property
    def county_label(self) -> str:
        return label_of(County, self.county)

    @property
    def dispute_type_label(self) -> str:
        return label_of(DisputeType, self.dispute_type)

    @property
    def channel_label(self) -> str:
        return label_of(Channel, self.channel) if self.channel else ""

    @property
    def outcome_label(self) -> str:
        return label_of(ClosingCode, self.outcome) if self.outcome else ""

    @property
    def agency_labels(self) -> list[str]:
        return [label_of(PartnerAgency, a) for a in self.agencies]

    @property
    def checklist_complete(self) -> bool:
        return all(self.checklist.get(code) for code, _label in DEIDENTIFICATION_CHECKLIST)

    @property
    def topic_names(self) -> list[str]:
        if not self.pk:
            return []
        return [t.name for t in self.topics.all()]

    def snapshot(self) -> dict:
        """The published content and state of this version, as stored in TypicalCaseVersion."""
        return {
            "title": self.title, "county": self.county, "year": self.year, "dispute_type": self.dispute_type,
            "tags": list(self.tags), "agencies": list(self.agencies), "channel": self.channel,
            "outcome": self.outcome, "amount_yuan": str(self.amount_yuan), "workers_count": self.workers_count,
            "summary": self.summary, "handling": self.handling, "significance": self.significance,
            "legal_basis": self.legal_basis, "status": self.status, "employer_policy": self.employer_policy,
            "topics": self.topic_names,
        }


class TypicalCaseVersion(models.Model):
    """A snapshot kept on every change of a typical case (edit, de-identification, publication …)."""

    typical_case = models.ForeignKey(TypicalCase, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("版本"))
    status = models.CharField(_("状态"), max_length=20, choices=TypicalCaseStatus.choices)
    snapshot = models.JSONField(_("内容"))
    action = models.CharField(_("操作"), max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("典型案例版本")
        verbose_name_plural = _("典型案例版本")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["typical_case", "version"], name="unique_typical_case_version")
        ]

    def __str__(self) -> str:
        return f"{self.typical_case_id} v{self.version}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


class TypicalCaseEvent(AppendOnlyModel):
    """Append-only audit trail of the pipeline, written in the transaction of the change."""

    typical_case = models.ForeignKey(TypicalCase, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("操作"), max_length=40)
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, blank=True)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    changes = models.JSONField(_("变更"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("典型案例日志")
        verbose_name_plural = _("典型案例日志")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.typical_case_id} {self.action}"


    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


def parse_synonym_rule(rule: str) -> tuple[list[str], list[str]]:
    """Parse one rule in the Solr/Elasticsearch synonym format.

    "a, b, c" makes the terms equivalent; "a => b, c" expands a query for a to b and c
    (one way). Returns (left, right); for an equivalence, right is empty.
    """
    text = (rule or "").strip()
    if "=>" in text:
        left_text, right_text = text.split("=>", 1)
        left = [t.strip() for t in _SYNONYM_SPLIT.split(left_text) if t.strip()]
        right = [t.strip() for t in _SYNONYM_SPLIT.split(right_text) if t.strip()]
        return left, right
    return [t.strip() for t in _SYNONYM_SPLIT.split(text) if t.strip()], []


class SynonymGroup(models.Model):
    """A query-time synonym rule, editable in the admin (DOMAIN §5.7 "synonym handling")."""

    rule = models.CharField(
        _("同义词规则"), max_length=300,
        help_text=_("等价词用逗号分隔，如“欠薪, 拖欠工资, 讨薪”；单向扩展用“=>”，如“一函两书 => 提示函, 意见书”。"),
    )
    enabled = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.rule

    def clean(self):
        left, right = parse_synonym_rule(self.rule)
        if "=>" in (self.rule or ""):
            if not left or not right:
                raise ValidationError({"rule": _("“=>”两侧都需要至少一个词。")})
        elif len(left) < 2:
            raise ValidationError({"rule": _("等价规则至少需要两个词，用逗号分隔。")})
        if any(len(t) > 30 or any(ch.isspace() for ch in t) for t in left + right):
            raise ValidationError({"rule": _("每个词不超过30个字符，且不能包含空格。")})


class SavedSearch(models.Model):
    """A supervisor's saved query; with `alert` on, newly published matching cases are notified."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(_("名称"), max_length=80)
    query = models.CharField(_("检索词"), max_length=200, blank=True)
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    alert = models.BooleanField(_("新案例提醒"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("保存的检索")
        verbose_name_plural = _("保存的检索")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name
