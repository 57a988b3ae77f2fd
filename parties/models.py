"""Who takes part: the agencies and their staff, the workers and the employers.

DOMAIN §1 and §5.2.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import (
    normalize_code,
    normalize_phone,
    resident_id_birth_date,
    validate_credit_code,
    validate_mobile,
    validate_resident_id,
)


class County(models.TextChoices):
    """Ankang's county-level units, by administrative division code."""

    CITY = "610900", _("市本级")
    HANBIN = "610902", _("汉滨区")
    HANYIN = "610921", _("汉阴县")
    SHIQUAN = "610922", _("石泉县")
    NINGSHAN = "610923", _("宁陕县")
    ZIYANG = "610924", _("紫阳县")
    LANGAO = "610925", _("岚皋县")
    PINGLI = "610926", _("平利县")
    ZHENPING = "610927", _("镇坪县")
    BAIHE = "610929", _("白河县")
    XUNYANG = "610981", _("旬阳市")
    HIGH_TECH = "610990", _("高新区")

    @classmethod
    def code_for_label(cls, label: str) -> str | None:
        for value, text in cls.choices:
            if str(text) == label:
                return value
        return None


class AgencyKind(models.TextChoices):
    UNION = "UNION", _("工会")
    COURT = "COURT", _("法院")
    PROCURATORATE = "PROCURATORATE", _("检察院")
    JUSTICE = "JUSTICE", _("司法局")
    HRSS = "HRSS", _("人社局")


class AgencyUnit(models.TextChoices):
    """The working unit inside an agency that a task is addressed to."""

    MAIN = "", _("本机关")
    MEDIATION_COMMITTEE = "MEDIATION_COMMITTEE", _("劳动争议调解委员会")
    LABOR_SUPERVISION = "LABOR_SUPERVISION", _("劳动法律监督委员会")
    ARBITRATION = "ARBITRATION", _("劳动人事争议仲裁院")
    INSPECTION = "INSPECTION", _("劳动保障监察大队")
    WORK_INJURY = "WORK_INJURY", _("工伤认定科")
    LEGAL_AID = "LEGAL_AID", _("法律援助中心")
    PEOPLES_MEDIATION = "PEOPLES_MEDIATION", _("人民调解委员会")
    CASE_FILING = "CASE_FILING", _("立案庭（诉讼服务中心）")
    CIVIL_PROSECUTION = "CIVIL_PROSECUTION", _("民事检察部")


class AgencyLevel(models.TextChoices):
    CITY = "CITY", _("市级")
    COUNTY = "COUNTY", _("县级")
    GRASSROOTS = "GRASSROOTS", _("基层")


class Agency(models.Model):
    kind = models.CharField(_("机构类别"), max_length=20, choices=AgencyKind.choices)
    unit = models.CharField(_("内设单位"), max_length=30, choices=AgencyUnit.choices, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级机关"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="units",
    )
    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    level = models.CharField(_("层级"), max_length=12, choices=AgencyLevel.choices)
    county = models.CharField(_("所在县区"), max_length=6, choices=County.choices)
    # e.g. 安总调 → 安总调〔2026〕第0001号; set on the unions that register cases.
    case_prefix = models.CharField(_("案号前缀"), max_length=20, blank=True)
    # Object permissions are granted to this group when a task is addressed to the agency.
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="agency", editable=False)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["kind", "county", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.group_id:
            self.group = Group.objects.create(name=f"agency:{self.name}")
        super().save(*args, **kwargs)

    @property
    def top(self) -> Agency:
        return self.parent or self

    @property
    def is_union(self) -> bool:
        return self.kind == AgencyKind.UNION

    @property
    def is_city(self) -> bool:
        return self.level == AgencyLevel.CITY


class Role(models.TextChoices):
    """DOMAIN §1.5."""

    INTAKE = "INTAKE", _("接待登记员")
    MEDIATOR = "MEDIATOR", _("调解员")
    COMMITTEE_HEAD = "COMMITTEE_HEAD", _("调解委员会主任")
    LABOR_SUPERVISOR = "LABOR_SUPERVISOR", _("劳动法律监督员")
    UNION_SUPERVISOR = "UNION_SUPERVISOR", _("工会督导")
    LIAISON = "LIAISON", _("协作机构联络员")
    ADMIN = "ADMIN", _("系统管理员")
    UNION_CHAIR = "UNION_CHAIR", _("工会主席/副主席")  # signs off the union's letters (一函两书)


# Union roles that handle cases with full personal data (DOMAIN §1.5 "see full personal data").
CASE_HANDLING_ROLES = {Role.INTAKE, Role.MEDIATOR, Role.COMMITTEE_HEAD, Role.UNION_SUPERVISOR}


class Staff(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    agency = models.ForeignKey(Agency, verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="staff")
    full_name = models.CharField(_("姓名"), max_length=40)
    phone = models.CharField(_("电话"), max_length=20, blank=True, validators=[validate_mobile])

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return f"{self.full_name}（{self.agency.short_name or self.agency.name}）"

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_rows.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def intake_family(self) -> str | None:
        """Who may open a case (DOMAIN §1.5 "Register intake"): the union's intake officers,
        mediators and heads; a court liaison (a delegation); an arbitration liaison (a referral)."""
        if self.agency.is_union and self.has_role(Role.INTAKE, Role.MEDIATOR, Role.COMMITTEE_HEAD):
            return "union"
        if self.has_role(Role.LIAISON) and self.agency.kind == AgencyKind.COURT:
            return "court"
        if self.has_role(Role.LIAISON) and self.agency.unit == AgencyUnit.ARBITRATION:
            return "arbitration"
        return None


class StaffRole(models.Model):
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="role_rows")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [models.UniqueConstraint(fields=["staff", "role"], name="unique_staff_role")]

    def __str__(self) -> str:
        return self.get_role_display()


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class HouseholdType(models.TextChoices):
    AGRICULTURAL = "AGRI", _("农业户口")
    NON_AGRICULTURAL = "NON_AGRI", _("非农业户口")


# 劳动法第十五条: employing anyone under 16 is prohibited (禁止使用童工规定).
MIN_WORKING_AGE = 16

# What a case says about a person besides the identity: kept on the case (CaseWorker), never
# written back over what another case said (issue 9 item 1).
WORKER_FLAGS = ["is_migrant", "is_new_employment_form", "has_disability", "is_over_age", "is_hardship",
                "is_union_member"]


class Worker(models.Model):
    """劳动者: the identity (ID number, and the sex and birth date it encodes).

    DOMAIN §1.1 and §5.2. Name, phone and flags here are those of the first registration;
    each case keeps its own in CaseWorker, and a registration never overwrites this row.
    """

    name = models.CharField(_("姓名"), max_length=40)
    id_number = models.CharField(_("居民身份证号码"), max_length=18, validators=[validate_resident_id], db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_mobile])
    household_type = models.CharField(_("户籍类型"), max_length=10, choices=HouseholdType.choices, blank=True)
    origin = models.CharField(_("籍贯"), max_length=60, blank=True)
    job_title = models.CharField(_("岗位"), max_length=60, blank=True)
    monthly_wage = models.DecimalField(
        _("月工资（元）"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    is_migrant = models.BooleanField(_("农民工/进城务工人员"), default=False)
    is_new_employment_form = models.BooleanField(_("新就业形态劳动者"), default=False)
    has_disability = models.BooleanField(_("残疾职工"), default=False)
    is_over_age = models.BooleanField(_("超龄劳动者"), default=False)
    is_hardship = models.BooleanField(_("困难职工"), default=False)
    is_union_member = models.BooleanField(_("工会会员"), default=False)

    class Meta:
        verbose_name = _("劳动者")
        verbose_name_plural = _("劳动者")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.id_number = normalize_code(self.id_number)
        self.phone = normalize_phone(self.phone)
        if self.id_number and len(self.id_number) == 18:
            self.birth_date = self.birth_date or resident_id_birth_date(self.id_number)
            if not self.gender:
                self.gender = Gender.MALE if int(self.id_number[16]) % 2 else Gender.FEMALE
        super().save(*args, **kwargs)

    @property
    def is_woman(self) -> bool:
        return self.gender == Gender.FEMALE

    def age_on(self, day) -> int | None:
        if not self.birth_date:
            return None
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    def is_minor_on(self, day) -> bool:
        age = self.age_on(day)
        return age is not None and age < 18

    def is_below_working_age_on(self, day) -> bool:
        """Under 16 (劳动法第十五条, 禁止使用童工规定): possible child labour."""
        age = self.age_on(day)
        return age is not None and age < MIN_WORKING_AGE


class EmployerKind(models.TextChoices):
    ENTERPRISE = "ENTERPRISE", _("企业")
    INDIVIDUAL = "INDIVIDUAL", _("个体工商户")
    COOPERATIVE = "COOPERATIVE", _("合作社")
    PLATFORM = "PLATFORM", _("平台企业")
    DISPATCH = "DISPATCH", _("劳务派遣单位")
    NON_ENTERPRISE = "NON_ENTERPRISE", _("民办非企业单位")


class Industry(models.TextChoices):
    """GB/T 4754 sections with Ankang's local sub-labels (DOMAIN §5.1)."""

    CONSTRUCTION = "CONSTRUCTION", _("建筑业")
    MANUFACTURING = "MANUFACTURING", _("制造业")
    COMMUNITY_FACTORY = "COMMUNITY_FACTORY", _("制造业-社区工厂")
    TEA_FOOD = "TEA_FOOD", _("茶叶/富硒食品加工")
    MINING = "MINING", _("采矿业")
    POWER = "POWER", _("电力")
    LOGISTICS = "LOGISTICS", _("交通运输/物流/快递")
    HOSPITALITY = "HOSPITALITY", _("住宿餐饮/旅游")
    RESIDENT_SERVICES = "RESIDENT_SERVICES", _("居民服务")
    PROPERTY = "PROPERTY", _("物业")
    HEALTH = "HEALTH", _("卫生")
    AGRICULTURE = "AGRICULTURE", _("农业合作社")
    RETAIL = "RETAIL", _("批发零售")
    OTHER = "OTHER", _("其他")


class Employer(models.Model):
    """用人单位. DOMAIN §1.1 and §5.2."""

    name = models.CharField(_("单位名称"), max_length=120)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    kind = models.CharField(_("单位类型"), max_length=20, choices=EmployerKind.choices, default=EmployerKind.ENTERPRISE)
    legal_representative = models.CharField(_("法定代表人/负责人"), max_length=40)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_mobile])
    address = models.CharField(_("地址"), max_length=200, blank=True)
    county = models.CharField(_("所在县区"), max_length=6, choices=County.choices)
    industry = models.CharField(_("行业"), max_length=20, choices=Industry.choices, default=Industry.OTHER)
    headcount = models.PositiveIntegerField(_("职工人数"), null=True, blank=True)
    has_union = models.BooleanField(_("已建工会"), default=False)
    has_mediation_committee = models.BooleanField(_("设有劳动争议调解委员会"), default=False)

    class Meta:
        verbose_name = _("用人单位")
        verbose_name_plural = _("用人单位")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.credit_code = normalize_code(self.credit_code)
        self.contact_phone = normalize_phone(self.contact_phone)
        super().save(*args, **kwargs)
