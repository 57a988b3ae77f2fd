"""Demo data: Ankang's agency network, one login per role, and about fifty cases in every state.

Used by `manage.py demo_data` (and so by `make run`). Every case is built the way users build
it: `workflows.services.case_open`, then each step of CaseFlow completed through
`workflows.engine.task_execute` with the same service calls as the step's page
(workflows/case_views.py); side actions (sessions, extensions, payments, visits, defaults)
call the same services as their pages. Clocks, audit events, tasks, task addresses and
partner permissions are therefore exactly what the application itself writes.

Dates: the services refuse only future dates, so the dates *in* the file (receipt,
acceptance, sessions, agreement, rulings, payments, referrals, closing) are spread over the
last two months, plus a few closed cases of the year before (for the cockpit's 同比). Timestamps the database sets itself (audit `created_at`, task
`created`/`finished`) carry the time of the run.

The password of every demo login is DEMO_PASSWORD. It is for demonstrations only.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task

from mediation.cases import services, steps
from mediation.cases.models import (
    Case,
    CaseStatus,
    Channel,
    ConfirmationPath,
    CourtFollowUp,
    DisputeType,
    EmploymentForm,
    ReferralKind,
    RequestDecision,
    RequestKind,
    SessionForm,
)
from mediation.clocks.workdays import WorkCalendar
from parties.models import (
    Agency,
    County,
    EmployerKind,
    HouseholdType,
    Industry,
    Role,
    Staff,
    StaffRole,
    Worker,
)
from parties.services import COUNTY_SHORT, agencies_ensure_ankang, staff_create
from parties.validators import CREDIT_CODE_ALPHABET, credit_code_check_char, resident_id_check_char
from workflows.engine import OPEN_TASK_STATUSES, step_complete
from workflows.services import case_open, case_withdraw

# The one password of every demo login. Demonstrations only: never on a real deployment.
DEMO_PASSWORD = "Ankang-demo-2026"
DEMO_EMAIL_DOMAIN = "demo.concord.invalid"
# The same data on every run: names, ID numbers and amounts come from this seed.
DEMO_SEED = 2026


class DemoError(RuntimeError):
    """A demo case could not be driven to its state (a bug in the plan or in a service)."""


# ---------------------------------------------------------------- logins

HB, HY, ZY, XY = County.HANBIN.value, County.HANYIN.value, County.ZIYANG.value, County.XUNYANG.value


@dataclass(frozen=True)
class DemoUser:
    username: str
    agency: str  # key of parties.services.agencies_ensure_ankang()
    full_name: str
    roles: tuple[str, ...]
    superuser: bool = False


DEMO_USERS: tuple[DemoUser, ...] = (
    # 安康市总工会
    DemoUser("city_supervisor", "union:city", "杨文斌", (Role.UNION_SUPERVISOR,)),
    DemoUser("admin", "union:city", "周明远", (Role.ADMIN,), superuser=True),
    DemoUser("city_chair", "union:city", "何建平", (Role.UNION_CHAIR,)),  # signs off the city's letters
    # 汉滨区总工会
    DemoUser("hb_intake", f"union:{HB}", "陈晓燕", (Role.INTAKE,)),
    DemoUser("hb_mediator", f"union:{HB}", "王建军", (Role.MEDIATOR,)),
    DemoUser("hb_mediator2", f"union:{HB}", "李秀兰", (Role.MEDIATOR,)),
    DemoUser("hb_head", f"union:{HB}", "张国华", (Role.COMMITTEE_HEAD,)),
    DemoUser("hb_lsup", f"union:{HB}", "刘志强", (Role.LABOR_SUPERVISOR,)),
    DemoUser("hb_lsup2", f"union:{HB}", "赵丽娟", (Role.LABOR_SUPERVISOR,)),
    DemoUser("hb_chair", f"union:{HB}", "陈立军", (Role.UNION_CHAIR,)),  # signs off the union's letters
    # 汉滨区 partner agencies
    DemoUser("hb_court", f"court:{HB}", "吴海涛", (Role.LIAISON,)),
    DemoUser("hb_procur", f"procuratorate:{HB}", "郑雅琴", (Role.LIAISON,)),
    DemoUser("hb_legalaid", f"legal_aid:{HB}", "孙立新", (Role.LIAISON,)),
    DemoUser("hb_arb", f"arbitration:{HB}", "冯建平", (Role.LIAISON,)),
    DemoUser("hb_insp", f"inspection:{HB}", "何俊峰", (Role.LIAISON,)),
    # city-level partner agencies
    DemoUser("city_court", "court:city", "胡晓东", (Role.LIAISON,)),
    DemoUser("city_procur", "procuratorate:city", "罗丹", (Role.LIAISON,)),
    DemoUser("city_legalaid", "legal_aid:city", "高峰", (Role.LIAISON,)),
    DemoUser("city_arb", "arbitration:city", "马俊", (Role.LIAISON,)),
    DemoUser("city_insp", "inspection:city", "郭涛", (Role.LIAISON,)),
    # three other county unions
    DemoUser("hy_mediator", f"union:{HY}", "谢春梅", (Role.MEDIATOR,)),
    DemoUser("hy_head", f"union:{HY}", "唐永红", (Role.COMMITTEE_HEAD,)),
    DemoUser("zy_mediator", f"union:{ZY}", "覃小平", (Role.MEDIATOR,)),
    DemoUser("zy_head", f"union:{ZY}", "储德明", (Role.COMMITTEE_HEAD,)),
    DemoUser("xy_mediator", f"union:{XY}", "黄德伟", (Role.MEDIATOR,)),
    DemoUser("xy_head", f"union:{XY}", "邓玉兰", (Role.COMMITTEE_HEAD,)),
)
DEMO_USERNAMES = tuple(u.username for u in DEMO_USERS)

# Who registers, decides and mediates in each county union that has demo cases.
TEAMS = {
    HB: {"registrant": "hb_intake", "head": "hb_head", "mediators": ("hb_mediator", "hb_mediator2")},
    HY: {"registrant": "hy_mediator", "head": "hy_head", "mediators": ("hy_mediator",)},
    ZY: {"registrant": "zy_mediator", "head": "zy_head", "mediators": ("zy_mediator",)},
    XY: {"registrant": "xy_mediator", "head": "xy_head", "mediators": ("xy_mediator",)},
}


def demo_users_ensure(agencies: dict[str, Agency]) -> tuple[list[str], list[str]]:
    """Create the demo logins that are missing. Returns (created, already there).

    An existing user keeps its password; one without a Staff record (e.g. a superuser made
    with createsuperuser) gets the demo agency and roles.
    """
    User = get_user_model()
    hashed = make_password(DEMO_PASSWORD)  # hash once: PBKDF2 is slow on purpose
    created, existing = [], []
    for spec in DEMO_USERS:
        agency = agencies[spec.agency]
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            staff = staff_create(username=spec.username, password=None, agency=agency, full_name=spec.full_name,
                                 roles=list(spec.roles), email=f"{spec.username}@{DEMO_EMAIL_DOMAIN}")
            user = staff.user
            user.password = hashed
            user.is_staff = user.is_superuser = spec.superuser
            user.save(update_fields=["password", "is_staff", "is_superuser"])
            created.append(spec.username)
            continue
        if not Staff.objects.filter(user=user).exists():
            staff = Staff.objects.create(user=user, agency=agency, full_name=spec.full_name)
            StaffRole.objects.bulk_create([StaffRole(staff=staff, role=r) for r in spec.roles])
        existing.append(spec.username)
    return created, existing


# ---------------------------------------------------------------- the logins table

@dataclass(frozen=True)
class Login:
    agency: str
    username: str
    full_name: str
    roles: str
    superuser: bool


def staff_logins(usernames: Iterable[str] | None = None) -> list[Login]:
    """Active staff logins with agency and roles, demo users first in their listed order."""
    qs = Staff.objects.filter(user__is_active=True).select_related("agency", "user").prefetch_related("role_rows")
    if usernames is not None:
        qs = qs.filter(user__username__in=list(usernames))
    order = {name: i for i, name in enumerate(DEMO_USERNAMES)}
    rows = sorted(qs, key=lambda s: (order.get(s.user.username, len(order)), s.agency.name, s.user.username))
    return [
        Login(agency=s.agency.name, username=s.user.username, full_name=s.full_name,
              roles="、".join(str(r.get_role_display()) for r in s.role_rows.all()), superuser=s.user.is_superuser)
        for s in rows
    ]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def format_logins(logins: list[Login], password: str | None) -> str:
    """A plain-text table, grouped by agency, aligned for CJK terminals."""
    if not logins:
        return "（没有可用的工作人员账号。）"
    by_agency: dict[str, list[Login]] = defaultdict(list)
    for login in logins:
        by_agency[login.agency].append(login)
    w_user = max(_width(x.username) for x in logins) + 2
    w_name = max(_width(x.full_name) for x in logins) + 2
    lines = []
    for agency, rows in by_agency.items():
        lines.append(agency)
        for x in rows:
            extra = "（Django 超级用户，可进入 /admin/）" if x.superuser else ""
            lines.append(f"  {_pad(x.username, w_user)}{_pad(x.full_name, w_name)}{x.roles}{extra}")
    if password:
        lines.append(f"\n所有演示账号的密码：{password}   （仅供演示 · demo only）")
    return "\n".join(lines)


def demo_password_if_loaded() -> str | None:
    """DEMO_PASSWORD when the demo logins exist and still use it, else None."""
    user = get_user_model().objects.filter(username__in=DEMO_USERNAMES).order_by("id").first()
    if user is None or not user.check_password(DEMO_PASSWORD):
        return None
    return DEMO_PASSWORD


# ---------------------------------------------------------------- the people and employers in the stories

_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
             "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万覃向汤")
_MALE = ("建华 建平 志刚 志勇 国强 国庆 德才 德胜 永福 永强 海军 海涛 明亮 小龙 小军 文斌 宏伟 红兵 新民 平安 "
         "长青 金山 家兴 俊杰 浩然 子豪 宇航 鹏飞 振华 立新 卫东 春生 世军 正义 光明 少华 保平 军 勇 涛 斌 磊 "
         "强 伟 刚 鑫 超 波 林 成 福 贵 祥").split()
_FEMALE = ("秀兰 秀英 桂芳 桂英 玉兰 玉梅 凤英 春梅 春燕 小燕 丽娟 丽华 红梅 红霞 晓琴 晓丽 海燕 静 芳 娟 敏 霞 "
           "婷婷 雪梅 金凤 翠萍 艳 琳 慧敏 佳怡 雨欣 梦婷 思雨 欣怡 美玲 淑贞 素珍 巧云 彩霞 银花 兰 琴").split()

_TOWNS = {
    HB: ("老城街道", "新城街道", "江北街道", "建民街道", "关庙镇", "五里镇", "瀛湖镇", "恒口镇", "大河镇", "张滩镇"),
    HY: ("城关镇", "涧池镇", "蒲溪镇", "平梁镇"),
    ZY: ("城关镇", "向阳镇", "焕古镇", "蒿坪镇"),
    XY: ("城关镇", "蜀河镇", "吕河镇", "棕溪镇"),
}
# Ankang's county codes, for the birthplace part of ID numbers.
_ANKANG_CODES = [c for c in COUNTY_SHORT]

# GB 32100 registration-authority + organisation-type prefix by employer kind.
_CREDIT_PREFIX = {
    EmployerKind.ENTERPRISE: "91", EmployerKind.PLATFORM: "91", EmployerKind.DISPATCH: "91",
    EmployerKind.INDIVIDUAL: "92", EmployerKind.COOPERATIVE: "93", EmployerKind.NON_ENTERPRISE: "52",
}


@dataclass(frozen=True)
class EmployerSpec:
    name: str
    legal_rep: str
    kind: str = EmployerKind.ENTERPRISE
    role: str = "EMPLOYER"
    headcount: int | None = None
    has_union: bool = False
    address: str = ""
    county: str | None = None  # defaults to the case's county


@dataclass(frozen=True)
class Story:
    """One kind of dispute, in Ankang colour. `facts` is formatted with the case's figures."""

    cause: str  # 案由 part of the title: "追索劳动报酬"
    facts: str
    industry: str
    employers: tuple[EmployerSpec, ...]
    claims: tuple[tuple[str, str, int], ...]  # (dispute type, subtype, amount per worker, yuan)
    job: str
    wage: int
    points: str  # 争议焦点
    proposal: str
    workers: int = 1
    employment_form: str = EmploymentForm.STANDARD
    crew_boss: str = ""
    female: float = 0.3
    age: tuple[int, int] = (24, 55)
    migrant: bool = False
    nef: bool = False
    over_age: bool = False
    fail_reason: str = "被申请人对请求事项和金额分歧较大，经多次调解仍不能达成一致，申请人表示不再接受调解。"
    withdraw_reason: str = "调解期间双方自行协商达成和解，被申请人已当面付清款项，申请人书面撤回调解申请。"


E = EmployerSpec
S = Story
W, SEV, INJ, SI, OT, CON = (DisputeType.WAGES, DisputeType.SEVERANCE, DisputeType.WORK_INJURY,
                            DisputeType.SOCIAL_INSURANCE, DisputeType.OVERTIME, DisputeType.CONTRACT)

STORIES: dict[str, Story] = {
    "toy_factory": S(
        "追索劳动报酬",
        "申请人{first}等{n}人系{employer}设在{town}易地扶贫搬迁安置社区的社区工厂缝纫工，计件计酬。"
        "自{start}起，该厂以外贸订单回款慢为由停发工资，累计拖欠{months}个月，共计{total}元。"
        "申请人多次找工厂负责人协商未果，推举{reps}为代表，请求工会调解。",
        Industry.COMMUNITY_FACTORY, (E("安康市汉滨区恒瑞毛绒玩具有限公司", "钱永富", headcount=86),),
        ((W, "拖欠工资", 4200),), "缝纫工", 2600,
        "欠薪月数和计件单价的核对；工厂资金困难时的分期安排", "由社区和工会见证，按月从订单回款中优先支付工资",
        workers=23, female=0.95, age=(32, 56)),
    "wig_factory": S(
        "经济补偿",
        "{employer}在{town}安置社区开办的假发社区工厂因订单转移于{start}停产，口头通知{n}名职工“放长假”，"
        "既未安排工作也未发放生活费，亦未依法解除劳动合同、支付经济补偿。申请人推举{reps}为代表，"
        "请求支付经济补偿及停工期间生活费共计{total}元。",
        Industry.COMMUNITY_FACTORY, (E("安康市汉滨区丽姿假发制品有限公司", "肖红英", headcount=64),),
        ((SEV, "关停搬迁集体解除", 7800),), "假发钩织工", 2300,
        "停产是否构成解除劳动合同；经济补偿的工作年限计算", "企业按工作年限支付经济补偿，社区协助就近转岗就业",
        workers=10, female=0.9, age=(30, 55),
        fail_reason="被申请人法定代表人拒不到场，企业账户已无资金，调解无法继续。"),
    "construction_site": S(
        "追索劳动报酬",
        "申请人{first}等{n}人系农民工，经包工头{crew_boss}招用，在{employer}承建的{town}安置小区二期项目从事"
        "钢筋、木工、泥瓦作业。项目主体已于{start}完工，劳务分包单位以总包方未拨付进度款为由拖欠工资{total}元。"
        "申请人推举{reps}为代表，请求总包单位先行清偿。",
        Industry.CONSTRUCTION,
        (E("陕西秦汉建设工程有限公司", "谢宏伟", role="GENERAL_CONTRACTOR", headcount=420, has_union=True),
         E("安康市兴汉建筑劳务有限公司", "曹金山", role="SUBCONTRACTOR", headcount=35)),
        ((W, "农民工工资", 12000),), "钢筋工", 7000,
        "工程量和工日的核对；总包单位先行清偿的责任（保障农民工工资支付条例第三十条）",
        "总包单位从工资专用账户先行支付，再向分包单位追偿",
        workers=36, crew_boss="刘德才", female=0.05, age=(28, 58), migrant=True),
    "road_project": S(
        "追索劳动报酬",
        "申请人{first}等{n}人在{employer}承建的{town}产业路硬化工程务工，由班组长{crew_boss}记工。"
        "工程于{start}完工验收，尚欠工资{total}元未付。申请人推举{reps}为代表申请调解。",
        Industry.CONSTRUCTION,
        (E("陕西安澜路桥工程有限公司", "鲁正义", role="GENERAL_CONTRACTOR", headcount=210, has_union=True),),
        ((W, "农民工工资", 9500),), "普工", 6000,
        "记工单与考勤的差异；已预支生活费的扣除", "按双方签字确认的记工单分两期付清",
        workers=16, crew_boss="陈有福", female=0.1, age=(30, 60), migrant=True),
    "over_age_injury": S(
        "人身损害赔偿",
        "申请人{first}现年{age}岁，经包工头{crew_boss}介绍在{employer}承建的{town}民房改造工地做小工，"
        "于{start}从脚手架跌落致腰椎骨折，花去医疗费2万余元。因申请人已超过法定退休年龄，"
        "用人单位以不存在劳动关系为由拒绝赔偿，申请人请求赔偿医疗费、误工费等共计{total}元。",
        Industry.CONSTRUCTION,
        (E("安康市汉滨区宏盛建筑工程有限公司", "潘世军", headcount=48),),
        ((INJ, "未参保单位赔付", 68000),), "小工", 4500,
        "超龄劳动者是否构成劳动关系；赔偿项目和标准", "由被申请人一次性给予补偿",
        crew_boss="段长青", female=0.0, age=(61, 66), migrant=True, over_age=True,
        fail_reason="被申请人坚持双方不存在劳动关系，只同意给予少量人道补偿，与申请人请求差距过大。"),
    "courier_overtime": S(
        "加班费",
        "申请人{first}自{start}起在{employer}分拣中心从事快件分拣，每天工作12小时、每月休息2天，"
        "单位未支付延时及休息日加班费。申请人离职后请求支付加班费{total}元。",
        Industry.LOGISTICS, (E("安康市汉滨区迅达快递服务有限公司", "韩立新", headcount=58),),
        ((OT, "延时加班", 6800), (OT, "休息日/法定节假日加班", 2400)), "分拣员", 3800,
        "考勤记录和排班表的真实性；加班费计算基数", "以排班表为准核算加班时长，一次性支付",
        female=0.3, age=(22, 40)),
    "courier_wages": S(
        "追索劳动报酬",
        "申请人{first}等{n}人系{employer}的快递员，工资按派件量计算。自{start}起网点以总部罚款、"
        "件量下滑为由拖欠派费，累计{total}元。申请人推举{reps}为代表请求调解。",
        Industry.LOGISTICS, (E("安康市通达速递有限公司", "孔德胜", headcount=40),),
        ((W, "计件/派费拖欠", 3500),), "快递员", 4500,
        "派件量数据的核对；总部罚款能否从派费中扣除", "网点按系统派件量补发派费，违规罚款不再扣减",
        workers=18, female=0.15, age=(22, 45)),
    "rider_injury": S(
        "工伤保险待遇",
        "申请人{first}系外卖骑手，由{employer}招用并在平台接单配送。{start}晚高峰送餐途中发生交通事故，"
        "左腿骨折住院。合作用工企业未为其参加工伤保险，仅投保了意外险。申请人请求赔付医疗费、"
        "停工留薪期工资等共计{total}元。",
        Industry.LOGISTICS,
        (E("安康市乐送配送服务有限公司", "邹宇航", role="PLATFORM_PARTNER", headcount=120),
         E("陕西速购网络科技有限公司", "蒋浩然", kind=EmployerKind.PLATFORM, role="PLATFORM", headcount=300,
           county=County.CITY.value)),
        ((INJ, "未参保单位赔付", 58000),), "外卖骑手", 5200,
        "用工关系的认定（新就业形态）；意外险赔付能否抵扣", "合作用工企业在意外险之外补足差额，平台督促履行",
        employment_form=EmploymentForm.NEF_INCOMPLETE, female=0.05, age=(22, 38), nef=True),
    "rider_absconded": S(
        "追索劳动报酬",
        "申请人{first}在{employer}承包的外卖站点送餐，配送费按月结算。{start}后站点负责人失联，"
        "拖欠申请人三个月配送费{total}元。申请人系进城务工人员，家庭困难，难以自行起诉。",
        Industry.LOGISTICS, (E("安康市快跑骑士配送服务有限公司", "万金山", headcount=25),),
        ((W, "计件/派费拖欠", 7600),), "外卖骑手", 4800,
        "站点负责人下落不明；平台的协助义务", "由平台协助联系站点负责人并垫付部分款项",
        employment_form=EmploymentForm.NEF_LABOR, female=0.0, age=(20, 35), migrant=True, nef=True,
        fail_reason="被申请人负责人下落不明，经多次电话、上门联系均未到场，调解无法进行。"),
    "hydropower": S(
        "经济补偿",
        "{employer}所属{town}小水电站因汉江支流生态整治于{start}关停，{n}名运行值班员被一次性解除劳动合同，"
        "企业仅支付了一个月工资，且部分年份社会保险未足额缴纳。申请人推举{reps}为代表，"
        "请求支付经济补偿并补缴社会保险，共计{total}元。",
        Industry.POWER, (E("旬阳市蜀河水电开发有限公司", "向保平", headcount=46, has_union=True),),
        ((SEV, "关停搬迁集体解除", 42000), (SI, "补缴", 6000)), "运行值班员", 4200,
        "经济补偿的年限和基数；社保补缴的年份", "企业按政策性关停标准支付补偿，分两期到位，社保由人社部门核定后补缴",
        workers=15, female=0.2, age=(38, 58)),
    "tea_pickers": S(
        "追索劳务报酬",
        "申请人{first}等{n}人系{town}村民，春茶和秋茶季节在{employer}茶园采摘富硒茶，按鲜叶斤数计酬。"
        "合作社以茶叶滞销为由拖欠采茶工钱共计{total}元。申请人推举{reps}为代表申请调解。",
        Industry.TEA_FOOD, (E("紫阳县焕古富硒茶业专业合作社", "储春生", kind=EmployerKind.COOPERATIVE, headcount=30),),
        ((W, "劳务报酬", 3000),), "采茶工", 2400,
        "采摘鲜叶斤数与单价的核对；部分申请人超龄、系劳务关系", "合作社以茶叶销售回款分期支付，镇政府协调销售渠道",
        employment_form=EmploymentForm.SERVICE, workers=12, female=0.85, age=(45, 66)),
    "tea_factory_injury": S(
        "工伤保险待遇",
        "申请人{first}在{employer}茶叶加工车间操作揉捻机，{start}被卷伤右手，经鉴定为九级伤残。"
        "企业未为其缴纳工伤保险。申请人请求支付停工留薪期工资和一次性伤残补助金共计{total}元。",
        Industry.TEA_FOOD, (E("紫阳县秦巴富硒茶业有限公司", "龚世军", headcount=75),),
        ((INJ, "停工留薪期工资", 18000), (INJ, "一次性伤残补助金", 36000)), "揉捻工", 3600,
        "伤残等级及赔偿标准；停工留薪期长短", "企业按工伤保险待遇标准一次性赔付",
        female=0.2, age=(25, 50)),
    "garment_relocation": S(
        "经济补偿",
        "{employer}因厂房搬迁至恒口示范区，于{start}通知{town}社区工厂{n}名职工到新厂上班或自行离职。"
        "新厂距离远、无班车，申请人无法前往，请求解除劳动合同并支付经济补偿共计{total}元。",
        Industry.COMMUNITY_FACTORY, (E("汉阴县锦绣服饰有限公司", "苏丽华", headcount=120, has_union=True),),
        ((SEV, "关停搬迁集体解除", 9000),), "车缝工", 2700,
        "搬迁是否属于劳动合同订立时所依据的客观情况发生重大变化；是否提供交通补贴", "企业提供班车或支付经济补偿二选一",
        workers=18, female=0.9, age=(30, 52)),
    "silk_mill": S(
        "追索劳动报酬",
        "申请人{first}在{employer}缫丝车间工作，{start}离职时企业尚欠两个月工资{total}元未结清。",
        Industry.MANUFACTURING, (E("汉阴县丝源茧丝绸有限公司", "邵德明", headcount=90),),
        ((W, "拖欠工资", 5200),), "缫丝工", 2600,
        "离职工资结算", "当场结清", female=0.8, age=(35, 55)),
    "mine_dust": S(
        "职业病待遇",
        "申请人{first}在{employer}从事井下凿岩作业十余年，{start}被诊断为职业性尘肺病（壹期）。"
        "企业已停产，拒绝支付职业病待遇，申请人请求支付一次性伤残补助金、医疗费等共计{total}元。",
        Industry.MINING, (E("旬阳市金鑫矿业有限公司", "史光明", headcount=60),),
        ((INJ, "职业病待遇", 150000),), "凿岩工", 6000,
        "职业病诊断结论；企业停产后的赔付能力", "企业以停产资产处置款优先赔付",
        female=0.0, age=(45, 58)),
    "hotel_dismissal": S(
        "违法解除劳动合同赔偿金",
        "申请人{first}自{start}前三年起在{employer}任前厅接待。瀛湖旅游淡季，酒店以“考核不合格”为由"
        "口头辞退申请人，未提供考核依据。申请人请求支付违法解除劳动合同赔偿金{total}元。",
        Industry.HOSPITALITY, (E("安康瀛湖湖畔度假酒店有限公司", "黎海涛", headcount=65),),
        ((SEV, "违法解除赔偿金", 24000),), "前厅接待", 3800,
        "解除理由是否成立；工作年限和赔偿金基数", "酒店撤回辞退决定或协商一致解除并支付补偿",
        female=0.7, age=(22, 40)),
    "homestay_wages": S(
        "追索劳动报酬",
        "申请人{first}在{employer}经营的瀛湖渔家乐民宿做厨工。{start}旺季结束后老板以生意不好为由"
        "拖欠三个月工资{total}元。",
        Industry.HOSPITALITY, (E("安康市汉滨区瀛湖渔家乐民宿", "毛长青", kind=EmployerKind.INDIVIDUAL, headcount=8),),
        ((W, "拖欠工资", 9000),), "厨工", 3000,
        "工资标准和出勤天数", "分两期付清", female=0.6, age=(35, 55)),
    "property_over_age": S(
        "追索劳动报酬",
        "申请人{first}现年{age}岁，在{employer}服务的小区做保洁，月工资长期低于安康市最低工资标准，"
        "且每月仅休息两天。申请人请求补足差额共计{total}元。",
        Industry.PROPERTY, (E("安康市汉江物业服务有限公司", "袁志勇", headcount=150),),
        ((W, "低于最低工资", 5600),), "保洁员", 1600,
        "超龄人员的用工性质；最低工资标准的适用", "物业公司补足差额，今后按标准发放",
        female=0.8, age=(61, 67), over_age=True),
    "logistics_driver": S(
        "确认劳动关系",
        "申请人{first}自{start}前两年起为{employer}驾驶货车，车辆登记在公司名下，接受公司调度，"
        "按月领取报酬。公司称双方系挂靠合作关系，拒绝签订劳动合同。申请人请求确认劳动关系并支付"
        "未签书面劳动合同二倍工资差额共计{total}元。",
        Industry.LOGISTICS, (E("安康市秦通物流有限公司", "熊立新", headcount=80),),
        ((CON, "确认劳动关系", 0), (CON, "未签书面合同二倍工资", 38000)), "货车司机", 6500,
        "是否存在劳动关系（管理、报酬、业务组成部分）", "公司补签劳动合同并支付部分差额",
        female=0.0, age=(30, 50)),
    "supermarket_leave": S(
        "加班费",
        "申请人{first}在{employer}任收银员，春节、国庆等法定节假日均安排上班，未支付三倍工资，"
        "入职四年从未安排带薪年休假。申请人请求支付法定节假日加班费和未休年休假工资共计{total}元。",
        Industry.RETAIL, (E("安康市汉滨区百佳惠超市有限公司", "孟凤英", headcount=70),),
        ((OT, "休息日/法定节假日加班", 4200), (CON, "年休假", 2600)), "收银员", 2800,
        "节假日排班记录；年休假工资的计算", "超市按考勤补发节假日加班费，年休假折算工资一次性支付",
        female=0.9, age=(22, 45)),
    "restaurant_probation": S(
        "未签书面劳动合同二倍工资",
        "申请人{first}在{employer}做蒸面师傅，入职半年未签书面劳动合同，试用期约定为六个月且工资低于约定的80%。"
        "申请人请求支付未签劳动合同二倍工资差额和试用期工资差额共计{total}元。",
        Industry.HOSPITALITY, (E("安康市汉滨区老街蒸面坊", "汤海军", kind=EmployerKind.INDIVIDUAL, headcount=9),),
        ((CON, "未签书面合同二倍工资", 15000), (CON, "试用期违法", 3000)), "蒸面师傅", 3200,
        "入职时间；试用期约定的合法性", "分三个月付清", female=0.3, age=(25, 45)),
    "decoration_injury": S(
        "工伤保险待遇",
        "申请人{first}受雇于{employer}从事室内装修，{start}在施工中从人字梯跌落致右腕骨折，"
        "已被认定为工伤，公司未缴工伤保险。申请人请求支付停工留薪期工资、医疗费等共计{total}元。",
        Industry.CONSTRUCTION, (E("安康市美居装饰工程有限公司", "侯建华", headcount=30),),
        ((INJ, "停工留薪期工资", 21000), (INJ, "工伤医疗费", 12000)), "装修工", 5500,
        "停工留薪期长短；医疗费票据的核对", "公司按工伤保险待遇标准赔付",
        female=0.0, age=(28, 52), migrant=True),
    "decoration_wages": S(
        "追索劳动报酬",
        "申请人{first}在{employer}承接的住宅装修项目做水电工，完工后公司以业主未结算为由拖欠工资{total}元。",
        Industry.CONSTRUCTION, (E("安康市鑫宇装饰工程有限公司", "雷振华", headcount=22),),
        ((W, "拖欠工资", 14000),), "水电工", 6000,
        "工资数额", "分期支付", female=0.0, age=(28, 52), migrant=True),
    "electronics_piece": S(
        "追索劳动报酬",
        "申请人{first}等{n}人在{employer}设在{town}的社区工厂组装电子线束，按件计酬。企业以“返工率高”为由，"
        "自{start}起每月按产量扣发20%工资，累计{total}元。申请人推举{reps}为代表申请调解。",
        Industry.COMMUNITY_FACTORY, (E("安康市汉滨区智联电子科技有限公司", "程宏伟", headcount=110),),
        ((W, "克扣工资", 2600),), "组装工", 2500,
        "扣款制度是否经民主程序制定并公示；返工率的统计", "企业退还扣款，扣款制度经职工代表大会讨论后再执行",
        workers=14, female=0.9, age=(28, 50)),
    "private_school": S(
        "社会保险",
        "申请人{first}在{employer}任教，学校一直按最低缴费基数为其缴纳社会保险，与实际工资差距较大。"
        "申请人请求学校补足少缴部分或赔偿相应损失共计{total}元。",
        Industry.OTHER, (E("安康市汉滨区育才实验学校", "丁文斌", kind=EmployerKind.NON_ENTERPRISE, headcount=90),),
        ((SI, "少缴/缴费基数不足", 16000),), "教师", 5000,
        "缴费基数；补缴与赔偿的关系", "学校按实际工资调整缴费基数并补缴差额",
        female=0.7, age=(26, 45)),
    "security_dispatch": S(
        "劳务派遣",
        "申请人{first}由{employer}派遣至{host}担任保安。用工单位以“岗位调整”为由将其退回派遣单位，"
        "派遣单位未再安排工作，也未支付待岗期间工资。申请人请求支付经济补偿和待岗工资共计{total}元。",
        Industry.HEALTH,
        (E("安康市平安保安服务有限公司", "邱德胜", kind=EmployerKind.DISPATCH, role="DISPATCH_AGENCY", headcount=300),
         E("安康市汉滨区康宁医院", "贺明亮", role="HOST_EMPLOYER", headcount=260, has_union=True)),
        ((CON, "劳务派遣退回", 0), (SEV, "解除/终止经济补偿", 12000), (W, "拖欠工资", 3600)), "保安", 3000,
        "退回理由是否合法；派遣单位待岗期间的工资义务", "派遣单位支付经济补偿，用工单位承担连带责任",
        female=0.1, age=(35, 58)),
    "caregiver": S(
        "加班费",
        "申请人{first}在{employer}任护理员，实行“做一休一”24小时值班，未签综合工时审批，"
        "单位未支付加班费。申请人请求支付加班费{total}元。",
        Industry.RESIDENT_SERVICES, (E("安康市汉滨区福寿康养中心", "田桂英", headcount=45),),
        ((OT, "综合工时争议", 11000),), "护理员", 3000,
        "是否经批准实行综合计算工时；值班与加班的区分", "中心按标准工时补发部分加班费",
        female=0.85, age=(40, 55)),
    "konjac_factory": S(
        "追索劳动报酬",
        "申请人{first}等{n}人在{employer}魔芋精粉加工车间上班，自{start}起工厂以原料价格上涨、资金紧张为由"
        "拖欠工资{total}元。申请人推举{reps}为代表申请调解。",
        Industry.TEA_FOOD, (E("安康市汉滨区秦巴魔芋食品有限公司", "白福贵", headcount=70),),
        ((W, "拖欠工资", 5400),), "加工工", 3000,
        "欠薪数额和支付期限", "分两期付清，逾期未付的申请支付令",
        workers=11, female=0.6, age=(30, 55)),
    "livestream": S(
        "追索劳动报酬",
        "申请人{first}在{employer}从事富硒农产品直播带货，约定底薪加销售提成。{start}后公司以退货率高为由"
        "拒付提成{total}元。",
        Industry.RETAIL, (E("安康市硒品汇电子商务有限公司", "顾欣怡", headcount=26),),
        ((W, "拖欠工资", 8800),), "带货主播", 4000,
        "提成计算口径（是否扣除退货）", "按扣除退货后的实际销售额计提，分期支付",
        employment_form=EmploymentForm.NEF_LABOR, female=0.8, age=(21, 30), nef=True),
    "gas_station": S(
        "加班费",
        "申请人{first}在{employer}上夜班，每班12小时，单位未支付延时加班费，申请人请求支付{total}元。",
        Industry.RETAIL, (E("安康市汉滨区顺通加油站有限公司", "龙建平", headcount=18),),
        ((OT, "延时加班", 7200),), "加油员", 3200,
        "排班和实际工作时长", "分三期支付", female=0.2, age=(25, 50)),
    "tea_shop": S(
        "追索劳动报酬",
        "申请人{first}在{employer}富硒茶专卖店任店长，离职时公司拖欠最后两个月工资和销售提成共计{total}元。",
        Industry.RETAIL, (E("安康市汉滨区硒茗茶业有限公司", "钟秀英", headcount=20),),
        ((W, "拖欠工资", 9600),), "店长", 4500,
        "提成比例和销售额的核对", "分期付清", female=0.7, age=(25, 45)),
    "inspection_contract": S(
        "未签书面劳动合同二倍工资",
        "申请人{first}在{employer}搅拌站工作一年多，公司未签订书面劳动合同，也未参加社会保险。"
        "申请人请求支付二倍工资差额，并要求补缴社会保险。",
        Industry.MANUFACTURING, (E("安康市汉滨区鑫源建材有限公司", "金国庆", headcount=40),),
        ((CON, "未签书面合同二倍工资", 22000), (SI, "未参保", 0)), "搅拌站操作工", 4200,
        "用工时间；社保补缴属劳动保障监察职责", "公司补签合同并补缴社保",
        female=0.0, age=(30, 50),
        fail_reason="被申请人拒不承认未签合同的责任，并存在未参保等违法行为，需移送劳动保障监察处理。"),
    "social_insurance_only": S(
        "社会保险",
        "申请人{first}反映{employer}自建厂以来从未为职工缴纳社会保险，申请人本人无具体金额请求，"
        "要求有关部门责令企业为全体职工参保。",
        Industry.MANUFACTURING, (E("安康市汉滨区宏达包装材料有限公司", "汪淑贞", headcount=35),),
        ((SI, "未参保", 0),), "包装工", 3000,
        "", "", female=0.5, age=(25, 50)),
    "wrong_county": S(
        "追索劳动报酬",
        "申请人{first}在{employer}（位于汉阴县涧池镇）务工，离职时尚欠工资{total}元。申请人户籍在汉滨区，"
        "向汉滨区总工会提出调解申请。",
        Industry.MANUFACTURING, (E("汉阴县富硒米业有限公司", "江春生", headcount=55, county=HY),),
        ((W, "拖欠工资", 6200),), "包装工", 3100, "", "", female=0.5, age=(25, 50)),
    "award_exists": S(
        "经济补偿",
        "申请人{first}就与{employer}解除劳动合同的经济补偿争议，已于{start}经汉滨区劳动人事争议仲裁委员会"
        "作出裁决并生效，现又以同一事由申请工会调解，请求支付经济补偿{total}元。",
        Industry.LOGISTICS, (E("安康市顺丰达仓储服务有限公司", "薛正义", headcount=60),),
        ((SEV, "解除/终止经济补偿", 16000),), "仓管员", 4000, "", "", female=0.3, age=(28, 45)),
    "dental_clinic": S(
        "违法解除劳动合同",
        "申请人{first}在{employer}任护士，怀孕后被单位以“合同到期”为由终止劳动合同。申请人请求恢复劳动关系，"
        "或支付违法终止赔偿金{total}元。",
        Industry.HEALTH, (E("安康市汉滨区仁和口腔门诊部", "陶晓丽", headcount=15),),
        ((CON, "违法解除/恢复劳动关系", 0), (SEV, "违法解除赔偿金", 18000)), "护士", 3800,
        "“三期”女职工劳动合同的顺延（劳动合同法第四十五条）", "", female=1.0, age=(24, 32)),
}


@dataclass(frozen=True)
class Plan:
    county: str
    channel: str
    story: str
    path: str  # a _Driver.path_<name> method
    days_ago: int  # receipt date, days before today
    workers: int | None = None


P = Plan
WALK, LINE, WEB, COURT, ARB = (Channel.WALK_IN, Channel.HOTLINE_12351, Channel.ONLINE, Channel.COURT_DELEGATED,
                               Channel.ARB_REFERRED)

# About fifty cases over every state CaseFlow can reach (DOMAIN §2.2).
PLANS: tuple[Plan, ...] = (
    # 收件待审查
    P(HB, LINE, "courier_overtime", "received", 0),
    P(HB, WALK, "rider_injury", "received", 1),
    P(HB, COURT, "hotel_dismissal", "received", 2),
    P(HB, WALK, "toy_factory", "received", 6),  # D2 already overdue: the head's inbox shows it red
    P(HY, LINE, "silk_mill", "received", 1),
    # 已受理
    P(HB, WALK, "property_over_age", "accepted", 3),
    P(HB, ARB, "logistics_driver", "assigned", 4),
    P(XY, WALK, "mine_dust", "accepted", 3),
    # 调解中 / 延期调解
    P(HB, WALK, "construction_site", "in_mediation", 9),
    P(HB, LINE, "supermarket_leave", "in_mediation", 7),
    P(HB, COURT, "decoration_injury", "in_mediation", 12),
    P(HY, WALK, "garment_relocation", "in_mediation", 8),
    P(HB, WALK, "electronics_piece", "extended", 24),
    P(HB, WEB, "private_school", "extended", 20),
    P(ZY, WALK, "tea_factory_injury", "extended", 22),
    # 达成协议 / 确认
    P(HB, COURT, "hotel_dismissal", "agreed_judicial", 12),
    P(HB, WALK, "restaurant_probation", "agreed_instalments", 9),
    P(HB, COURT, "construction_site", "confirmation_pending", 15, workers=12),
    P(HB, ARB, "security_dispatch", "arbitral_pending", 14),
    P(XY, WALK, "hydropower", "confirmation_pending", 17),
    P(HB, WALK, "courier_wages", "confirmed", 23),
    P(HB, COURT, "caregiver", "confirmed", 26),
    P(HB, WALK, "rider_injury", "confirmation_refused", 27),
    # 履行
    P(HB, WALK, "tea_shop", "performing", 31),
    P(HB, LINE, "gas_station", "performing", 34),
    P(ZY, WALK, "tea_pickers", "performing", 32),
    P(HB, WALK, "konjac_factory", "defaulted", 41),
    P(HB, WEB, "livestream", "defaulted", 38),
    P(HB, WALK, "road_project", "enforcement", 45),
    P(HB, LINE, "decoration_wages", "payment_order_issued", 49),
    P(HB, WALK, "courier_wages", "enforcement_confirmed", 52),
    P(HB, WALK, "courier_overtime", "paid_on_spot", 6),
    P(HB, COURT, "hotel_dismissal", "performed", 33),
    # 调解不成 → 转出
    P(HB, WALK, "over_age_injury", "referred_out", 18),
    P(HB, LINE, "wig_factory", "referred_partly", 28),
    P(HB, WALK, "rider_absconded", "referred_prosecution", 21),
    P(HB, WALK, "homestay_wages", "referred_after_default", 44),
    # 撤回 / 不予受理 / 转办
    P(HB, WALK, "supermarket_leave", "withdrawn", 8),
    P(HB, LINE, "gas_station", "withdrawn", 15),
    P(HB, WALK, "restaurant_probation", "withdrawn_after_agreement", 16),
    P(HB, WALK, "award_exists", "not_accepted", 6),
    P(HB, WEB, "dental_clinic", "not_accepted", 11),
    P(HB, LINE, "social_insurance_only", "redirected", 4),
    P(HB, WALK, "wrong_county", "redirected", 10),
    # 结案
    P(HB, WALK, "courier_overtime", "closed_paid_on_spot", 20),
    P(HB, COURT, "decoration_injury", "closed_judicial", 53),
    P(HB, ARB, "security_dispatch", "closed_arbitral", 50),
    P(HB, LINE, "konjac_factory", "closed_payment_order", 58, workers=10),
    P(HB, WALK, "over_age_injury", "closed_arbitration", 40),
    P(HB, WALK, "rider_absconded", "closed_prosecution", 46),
    P(HB, WALK, "inspection_contract", "closed_inspection", 36),
    P(HB, WALK, "award_exists", "closed_not_accepted", 30),
    P(HY, WALK, "silk_mill", "closed_paid_on_spot", 28),
    P(ZY, LINE, "tea_factory_injury", "closed_withdrawn", 19),
    # 归档
    P(HB, WALK, "tea_shop", "archived_paid_on_spot", 55),
    P(HB, COURT, "caregiver", "archived_judicial", 60),
    P(HB, WALK, "construction_site", "archived_arbitration", 57, workers=14),
    P(XY, WALK, "hydropower", "archived_paid_on_spot", 45, workers=10),
    # Last year's cases, so that the cockpit's 同比 has something to compare with (mediation/statistics).
    P(HB, WALK, "construction_site", "archived_paid_on_spot", 400, workers=38),
    P(HB, WALK, "over_age_injury", "closed_arbitration", 430),
    P(HY, WALK, "garment_relocation", "closed_withdrawn", 450),
    P(ZY, WALK, "tea_pickers", "closed_paid_on_spot", 520),
    # The same weeks last year (about a year before this year's cases): 同比 by month and outcome.
    P(HB, WALK, "courier_overtime", "closed_paid_on_spot", 375),
    P(HB, WALK, "award_exists", "closed_not_accepted", 382),
    P(ZY, LINE, "tea_factory_injury", "closed_withdrawn", 388),
    P(HY, WALK, "silk_mill", "closed_paid_on_spot", 393),
    P(HB, WALK, "over_age_injury", "closed_arbitration", 398),
    P(HB, COURT, "decoration_injury", "closed_judicial", 410),
    P(HB, WALK, "tea_shop", "archived_paid_on_spot", 420),
    P(HB, COURT, "caregiver", "archived_judicial", 425),
)


# ---------------------------------------------------------------- running the plans

@dataclass
class DemoResult:
    users_created: list[str] = field(default_factory=list)
    users_existing: list[str] = field(default_factory=list)
    cases_created: int = 0
    cases_existing: int = 0
    statuses: Counter = field(default_factory=Counter)
    seconds: float = 0.0


def demo_cases_exist() -> int:
    """How many cases the demo logins have registered (0: the demo cases are not there)."""
    return Case.objects.filter(created_by__username__in=DEMO_USERNAMES).count()


def demo_load(*, progress: Callable[[Iterable, int], Iterable] | None = None,
              today: datetime.date | None = None) -> DemoResult:
    """Create whatever of the demo data is missing, in one transaction. Safe to run again."""
    started = time.monotonic()
    result = DemoResult()
    with transaction.atomic():
        agencies = agencies_ensure_ankang()
        result.users_created, result.users_existing = demo_users_ensure(agencies)
        result.cases_existing = demo_cases_exist()
        if not result.cases_existing:
            run = _Run(agencies=agencies, today=today or timezone.localdate())
            # Oldest first, so that case numbers follow the receipt dates.
            ordered = sorted(PLANS, key=lambda p: (run.received_on(p), -p.days_ago))
            plans: Iterable[Plan] = ordered if progress is None else progress(ordered, len(ordered))
            for plan in plans:
                case = _Driver(run, plan).drive()
                result.statuses[case.status] += 1
            result.cases_created = len(PLANS)
    result.seconds = time.monotonic() - started
    return result


def demo_catch_up() -> tuple[int, int]:
    """Do at once what the beat would do in its first minutes on the back-dated cases: fire the
    flows' due timers (D1 arbitration window, D3 escalation) and sweep the statutory clocks
    for reminders. Returns (timers fired, reminders created)."""
    from mediation.clocks.reminders import clocks_sweep
    from workflows.tasks import fire_due_timers

    timers = fire_due_timers()
    reminders = clocks_sweep().notifications
    return timers, reminders


class _Run:
    """What the cases of one run share: agencies, users, the random source, document numbers."""

    def __init__(self, *, agencies: dict[str, Agency], today: datetime.date):
        self.agencies = agencies
        self.today = today
        self.rng = random.Random(DEMO_SEED)
        self.calendar = WorkCalendar()
        User = get_user_model()
        self.users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES).select_related("staff")}
        self.ids: set[str] = set()
        self.numbers: dict[str, int] = defaultdict(lambda: 20 + self.rng.randrange(60))
        self.story_uses: Counter = Counter()

    def user(self, username: str):
        return self.users[username]

    def liaison(self, agency: Agency):
        for user in self.users.values():
            staff = getattr(user, "staff", None)
            if staff and staff.agency_id == agency.pk and staff.has_role(Role.LIAISON):
                return user
        raise DemoError(f"no demo liaison at {agency.name}")

    def number(self, series: str) -> int:
        self.numbers[series] += 1 + self.rng.randrange(4)
        return self.numbers[series]

    def is_workday(self, day: datetime.date) -> bool:
        return self.calendar.day(day).is_working

    def received_on(self, plan: Plan) -> datetime.date:
        """`days_ago` before today; walk-ins and partners' hand-overs on the working day before."""
        day = self.today - datetime.timedelta(days=plan.days_ago)
        if plan.channel in (Channel.HOTLINE_12351, Channel.ONLINE):
            return day  # the hotline and the web form take applications every day
        while not self.is_workday(day):
            day -= datetime.timedelta(days=1)
        return day

    # people

    def person_name(self, female: bool) -> str:
        return self.rng.choice(_SURNAMES) + self.rng.choice(_FEMALE if female else _MALE)

    def resident_id(self, *, area: str, birth: datetime.date, female: bool) -> str:
        while True:
            seq = self.rng.randrange(500) * 2 + (0 if female else 1)
            first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
            number = first17 + resident_id_check_char(first17)
            if number not in self.ids and not Worker.objects.filter(id_number=number).exists():
                self.ids.add(number)
                return number

    def mobile(self) -> str:
        return self.rng.choice(("13", "15", "18", "19", "17")) + f"{self.rng.randrange(10**9):09d}"


def _credit_code(name: str, county: str, kind: str) -> str:
    digest = hashlib.sha256(name.encode()).digest()
    body = _CREDIT_PREFIX.get(kind, "91") + county + "".join(CREDIT_CODE_ALPHABET[b % 31] for b in digest[:9])
    return body + credit_code_check_char(body)


def _yuan(amount: Decimal | int) -> str:
    return f"{Decimal(amount):,.2f}元"


def _round(amount: float, step: int = 10) -> Decimal:
    return Decimal(int(round(amount / step)) * step)


class _Driver:
    """Drives one planned case through CaseFlow, step by step, as its users would."""

    def __init__(self, run: _Run, plan: Plan):
        self.run, self.plan = run, plan
        self.story = STORIES[plan.story]
        self.rng = run.rng
        team = TEAMS[plan.county]
        self.head = run.user(team["head"])
        mediators = team["mediators"]
        self.mediator = run.user(mediators[run.story_uses[plan.county] % len(mediators)])
        self.assistants = [run.user(m) for m in mediators if m != self.mediator.username]
        run.story_uses[plan.county] += 1
        self.variant = run.story_uses[plan.story]
        run.story_uses[plan.story] += 1
        self.received = run.received_on(plan)
        self.day = self.received
        self.case: Case | None = None

    # ------------------------------------------------ dates

    def advance(self, days: int) -> datetime.date:
        self.day = min(self.day + datetime.timedelta(days=days), self.run.today)
        return self.day

    def advance_workdays(self, n: int) -> datetime.date:
        day = self.day
        for _ in range(n):
            day += datetime.timedelta(days=1)
            while not self.run.is_workday(day):
                day += datetime.timedelta(days=1)
        self.day = min(day, self.run.today)
        return self.day

    def moment(self, hour: int = 9, minute: int = 30) -> datetime.datetime:
        """A time on the current day, never in the future."""
        at = timezone.make_aware(datetime.datetime.combine(self.day, datetime.time(hour, minute)))
        return min(at, timezone.now() - datetime.timedelta(minutes=5))

    # ------------------------------------------------ tasks

    def task(self, step: str) -> Task:
        for task in Task.objects.filter(process__caseprocess__case=self.case, status__in=OPEN_TASK_STATUSES):
            if task.flow_task.name == step:
                return task
        raise DemoError(f"{self.plan.path} / {self.case.case_no}: no open task {step!r}")

    def do(self, step: str, user, entry: Callable, **kwargs) -> None:
        """Complete the open task `step` with the step's entry point, as its page does."""
        step_complete(task=self.task(step), user=user, entry=entry, **kwargs)
        self.case.refresh_from_db()

    # ------------------------------------------------ the application (T1/T2)

    def _workers(self) -> list[dict]:
        story, rng, run = self.story, self.rng, self.run
        n = self.plan.workers or story.workers
        reps = min(3, max(1, n // 5)) if n >= 10 else 0
        rows = []
        for i in range(n):
            female = rng.random() < story.female
            age = rng.randint(*story.age)
            birth = datetime.date(run.today.year - age, 1, 1) + datetime.timedelta(days=rng.randrange(330))
            area = self.plan.county if rng.random() < 0.7 else rng.choice(_ANKANG_CODES)
            amount = _round(sum(c[2] for c in story.claims) * rng.uniform(0.8, 1.2))
            rows.append({
                "name": run.person_name(female),
                "id_number": run.resident_id(area=area, birth=birth, female=female),
                "phone": run.mobile(),
                "household_type": HouseholdType.AGRICULTURAL if story.migrant or rng.random() < 0.6
                else HouseholdType.NON_AGRICULTURAL,
                "origin": f"陕西省安康市{County(area).label}",
                "job_title": story.job,
                "monthly_wage": _round(story.wage * rng.uniform(0.9, 1.15)),
                "is_migrant": story.migrant,
                "is_new_employment_form": story.nef,
                "is_over_age": story.over_age,
                "is_hardship": rng.random() < 0.1,
                "is_union_member": rng.random() < 0.3,
                "amount_claimed": amount,
                "is_representative": i < reps,
                "authorization": "经全体申请人推举为代表，代为参加调解（调解仲裁法第七条）" if i < reps else "",
            })
        return rows

    def _respondents(self) -> list[dict]:
        rows = []
        for spec in self.story.employers:
            county = spec.county or self.plan.county
            rows.append({
                "name": spec.name, "credit_code": _credit_code(spec.name, county, spec.kind),
                "kind": spec.kind, "legal_representative": spec.legal_rep, "contact_phone": self.run.mobile(),
                "address": spec.address or f"陕西省安康市{County(county).label}", "county": county,
                "industry": self.story.industry, "headcount": spec.headcount, "has_union": spec.has_union,
                "role": spec.role,
            })
        if self.story.crew_boss:
            rows.append({"person_name": self.story.crew_boss, "person_phone": self.run.mobile(), "role": "CREW_BOSS"})
        return rows

    def _claims(self, workers: list[dict]) -> list[dict]:
        total = sum(w["amount_claimed"] for w in workers)
        base = sum(c[2] for c in self.story.claims) or 1
        single = len(workers) == 1
        start = self.received - datetime.timedelta(days=30 * self.rng.randint(2, 8))
        claims = []
        for dispute_type, subtype, amount in self.story.claims:
            claims.append({
                "dispute_type": dispute_type, "subtype": subtype,
                "amount_claimed": _round(total * amount / base, 1) if amount else Decimal("0"),
                "worker_index": 0 if single else None, "period_from": start, "period_to": self.received,
                "basis": self.story.points,
                # D12: the first unpaid month ended a month into the period (no extra draw: same stories).
                "knew_on": start + datetime.timedelta(days=30),
            })
        return claims

    def step_open(self) -> None:
        plan, story, run = self.plan, self.story, self.run
        workers = self._workers()
        total = sum(w["amount_claimed"] for w in workers)
        employer = story.employers[0].name
        first = workers[0]["name"]
        n = len(workers)
        town = self.rng.choice(_TOWNS[plan.county])
        start = self.received - datetime.timedelta(days=30 * self.rng.randint(2, 6))
        months = max(2, (self.received - start).days // 30)
        reps = "、".join(w["name"] for w in workers if w["is_representative"])
        age = run.today.year - int(workers[0]["id_number"][6:10])
        host = story.employers[1].name if len(story.employers) > 1 else ""
        facts = story.facts.format(first=first, n=n, employer=employer, town=town, start=f"{start.year}年{start.month}月",
                                   months=months, total=f"{total:,.2f}", reps=reps or first, crew_boss=story.crew_boss,
                                   age=age, host=host)
        title = (f"{first}等{n}人与{employer}{story.cause}纠纷" if n > 1 else f"{first}与{employer}{story.cause}纠纷")
        kwargs = dict(channel=plan.channel, title=title, facts=facts, county=plan.county, town=town,
                      received_on=self.received, industry=story.industry, employment_form=story.employment_form,
                      workers=workers, respondents=self._respondents(), claims=self._claims(workers))
        union = run.agencies[f"union:{plan.county}"]
        actor = run.user(TEAMS[plan.county]["registrant"])
        short = COUNTY_SHORT[plan.county]
        year = self.received.year
        if plan.channel == Channel.HOTLINE_12351:
            kwargs["hotline_ticket"] = f"12351-{self.received:%Y%m%d}-{run.number('hotline'):04d}"
        elif plan.channel == Channel.COURT_DELEGATED:
            court = run.agencies[f"court:{plan.county}"]
            actor = run.liaison(court)
            union = services.union_for_county(plan.county)
            ref = f"（{year}）陕{plan.county[2:]}民诉前调{run.number('court-prefiling:' + plan.county)}号"
            kwargs.update(source_agency=court, source_ref=ref, court_prefiling_no=ref,
                          court_due_date=self.received + datetime.timedelta(days=30))
        elif plan.channel == Channel.ARB_REFERRED:
            arbitration = run.agencies[f"arbitration:{plan.county}"]
            actor = run.liaison(arbitration)
            union = services.union_for_county(plan.county)
            kwargs.update(source_agency=arbitration,
                          source_ref=f"{short}劳人仲引调〔{year}〕{run.number('arb-referral:' + plan.county)}号")
        self.case = case_open(actor=actor, agency=union, **kwargs)

    # ------------------------------------------------ T3–T5 review, assignment

    def step_accept(self) -> None:
        self.advance_workdays(1)
        self.do("review", self.head, steps.review_decide, case=self.case, decision="accept", decided_on=self.day,
                respondent_consents=True)

    def step_not_accept(self, reason: str) -> None:
        self.advance_workdays(1)
        self.do("review", self.head, steps.review_decide, case=self.case, decision="not_accept",
                decided_on=self.day, reason=reason)

    def step_redirect(self, to: str, reason: str) -> None:
        self.advance_workdays(1)
        self.do("review", self.head, steps.review_decide, case=self.case, decision="redirect",
                decided_on=self.day, reason=reason, redirected_to=to)

    def step_assign(self) -> None:
        assistants = self.assistants if self.case.is_collective else []
        self.do("assign", self.head, steps.mediator_assign, case=self.case, mediator=self.mediator,
                assistants=assistants)

    # ------------------------------------------------ T6–T8 sessions, extension, agreement

    def session(self, number: int, *, last: bool = False) -> None:
        self.advance_workdays(1 + self.rng.randrange(3))
        story, case = self.story, self.case
        union = case.agency.name
        if number == 1 and case.is_collective:
            form, place = SessionForm.FACE_TO_FACE, f"{case.town}现场（{story.employers[0].name}）"
        elif number == 1:
            form, place = SessionForm.FACE_TO_FACE, f"{union}职工法律服务中心调解室"
        else:
            form, place = self.rng.choice(((SessionForm.CAUCUS, f"{union}调解室"), (SessionForm.VIDEO, "视频调解")))
        workers = case.case_workers.select_related("worker")
        if case.is_collective:
            applicants = "申请人代表" + "、".join(cw.name for cw in workers if cw.is_representative)
        else:
            applicants = "申请人" + workers[0].name
        participants = (f"{applicants}；被申请人法定代表人{story.employers[0].legal_rep}；"
                        f"调解员{self.mediator.staff.full_name}")
        result = ("双方就主要事实达成一致，约定下次调解时间。" if not last
                  else "双方就支付金额和期限基本达成一致，拟签订调解协议。")
        services.session_record(case=case, actor=self.mediator, held_at=self.moment(9 + 5 * (number % 2)),
                                form=form, place=place, participants=participants,
                                points_in_dispute=story.points or story.cause, proposals=story.proposal,
                                result=result)
        self.case.refresh_from_db()

    def step_mediate(self, sessions: int = 1) -> None:
        self.step_accept()
        self.step_assign()
        for i in range(1, sessions + 1):
            self.session(i, last=i == sessions)

    def step_extend(self) -> None:
        target = self.case.accepted_on + datetime.timedelta(days=13)
        self.day = min(max(self.day, target), self.run.today)
        services.case_extend(case=self.case, actor=self.head, days=15,
                             applicant_consent="申请人当场签字同意延期" if not self.case.is_collective
                             else "申请人代表经全体申请人同意后签字确认",
                             respondent_consent="被申请人委托代理人书面同意延期", consented_on=self.day)
        self.case.refresh_from_db()

    def _schedule(self, kind: str, total: Decimal, signed: datetime.date) -> list[tuple[datetime.date, Decimal]]:
        offsets = {"two": (10, 40), "three": (7, 37, 67), "short": (5, 15), "overdue": (5, 35)}[kind]
        parts = len(offsets)
        first = _round(total / parts, 100)
        amounts = [first] * (parts - 1) + [total - first * (parts - 1)]
        return [(signed + datetime.timedelta(days=o), a) for o, a in zip(offsets, amounts, strict=True)]

    def step_agree(self, *, path: str = ConfirmationPath.NONE, schedule: str = "two", spot: bool = False) -> None:
        self.advance(1 + self.rng.randrange(2))
        claimed = sum(c.amount_claimed for c in self.case.claims.all()) or Decimal("3000")
        total = _round(float(claimed) * self.rng.uniform(0.75, 0.95), 100)
        signed = self.day
        instalments = [] if spot else self._schedule(schedule, total, signed)
        employer = self.story.employers[0].name
        n = self.case.workers_count
        who = f"申请人{self.case.case_workers.first().name}" + (f"等{n}人" if n > 1 else "")
        if spot:
            how = "于签订本协议时以银行转账方式一次性付清"
        else:
            how = "分期支付：" + "；".join(f"{d.year}年{d.month}月{d.day}日前支付{_yuan(a)}" for d, a in instalments)
        terms = (f"一、被申请人{employer}同意支付{who}{self.story.cause}相关款项共计{_yuan(total)}，{how}。"
                 f"二、申请人放弃其他请求。三、双方就本劳动争议再无其他纠纷。")

        self.do("mediate", self.mediator, steps.mediation_conclude, case=self.case, outcome="agreement", on=signed,
                terms=terms, amount_total=total, applicant_signed=True, respondent_signed=True,
                mediator_signed=True, sealed=True, paid_on_spot=spot, instalments=instalments,
                confirmation_path=path,
                default_clause="被申请人任何一期逾期未付的，申请人可就剩余全部款项申请支付令或申请仲裁。")
        self.step_report_to_court()

    def step_fail(self, kinds: list[str]) -> None:
        self.advance(1 + self.rng.randrange(3))

        self.do("mediate", self.mediator, steps.mediation_conclude, case=self.case, outcome="failed", on=self.day,
                reason=self.story.fail_reason, referral_kinds=kinds, **self._violation(kinds))
        self.step_report_to_court()

    def step_withdraw(self) -> None:
        self.advance(2)

        self.do("mediate", self.mediator, steps.mediation_conclude, case=self.case, outcome="withdrawn",
                on=self.day, reason=self.story.withdraw_reason)
        self.step_report_to_court()

    def step_report_to_court(self) -> None:
        """DOMAIN §2.3: a delegated case's result goes back to the court, which acknowledges it — except
        the most recent agreement, left in the court liaison's inbox to show the task."""
        if not self.case.reports_to_court:
            return
        agreement = getattr(self.case, "agreement", None) if not self.case.failure_reason else None
        follow_up = ""
        if agreement is not None:
            follow_up = (CourtFollowUp.JUDICIAL_CONFIRMATION if agreement.confirmation_path == ConfirmationPath.JUDICIAL
                         else CourtFollowUp.MEDIATION_STATEMENT)
        self.do("report_to_court", self.mediator, steps.court_report_send, case=self.case, sent_on=self.day,
                follow_up=follow_up, note="调解结果及相关文书随附，请查收。")
        if self.plan.path == "agreed_judicial":
            return
        court = self.case.source_agency
        self.advance_workdays(1)
        court_no = f"（{self.day.year}）陕{court.county[2:]}民诉前调确{self.run.number('court-ack:' + court.county)}号"
        self.do("court_acknowledge", self.run.liaison(court), steps.court_report_acknowledge,
                report=self.case.court_reports.latest("id"), acknowledged_on=self.day, note="已收到调解结果。",
                court_case_no=court_no if agreement is not None else "")

    # ------------------------------------------------ T11–T13 confirmation

    def step_file(self) -> None:
        self.advance(2 + self.rng.randrange(3))
        kind = (RequestKind.JUDICIAL_CONFIRMATION if self.case.agreement.confirmation_path == ConfirmationPath.JUDICIAL
                else RequestKind.ARBITRAL_REVIEW)

        self.do("file_confirmation", self.mediator, steps.confirmation_filing_decide, case=self.case, apply=True,
                filed_on=self.day, kind=kind)

    def _decide(self, step: str, kind: str, *, confirm: bool, reason: str = "") -> None:
        request = self.case.confirmation_requests.filter(kind=kind, decision="").latest("id")
        liaison = self.run.liaison(request.target_agency)
        self.advance(3 + self.rng.randrange(4))
        county = request.target_agency.county
        year = self.day.year
        if kind == RequestKind.ARBITRAL_REVIEW:
            ruling = f"{COUNTY_SHORT.get(county, '安')}劳人仲调字〔{year}〕第{self.run.number('arb-statement')}号"
        else:
            court = "陕09" if county == County.CITY else f"陕{county[2:]}"
            series = "民督" if kind == RequestKind.PAYMENT_ORDER else "民特"
            ruling = f"（{year}）{court}{series}{self.run.number(series + county)}号"
        decided = self.day
        # The court accepts first (D22 / D24 met), then decides within its period (D22a / D25).
        services.confirmation_request_accept(request=request, actor=liaison,
                                             accepted_on=min(request.filed_on + datetime.timedelta(days=1), decided))
        entry = steps.payment_order_decide if kind == RequestKind.PAYMENT_ORDER else steps.confirmation_rule
        self.do(step, liaison, entry, request=request,
                decision=RequestDecision.CONFIRMED if confirm else RequestDecision.REFUSED,
                decided_on=decided, ruling_no=ruling if confirm else "", reason=reason)

    def step_confirm(self) -> None:
        if self.case.agreement.confirmation_path == ConfirmationPath.JUDICIAL:
            self._decide("judicial_confirmation", RequestKind.JUDICIAL_CONFIRMATION, confirm=True)
        else:
            self._decide("arbitral_review", RequestKind.ARBITRAL_REVIEW, confirm=True)

    # ------------------------------------------------ §2.4 performance, T14–T16

    def pay(self, count: int | None = None) -> None:
        unpaid = [i for i in self.case.agreement.instalments.all() if not i.paid_on]
        for instalment in unpaid[:count]:
            self.day = min(max(self.day, instalment.due_on - datetime.timedelta(days=1)), self.run.today)
            services.instalment_record_payment(instalment=instalment, actor=self.mediator, paid_on=self.day,
                                               proof=f"银行转账回单（{self.day:%m月%d日}）")
        self.case.refresh_from_db()

    def visit(self) -> None:
        self.advance(2)
        services.visit_record(case=self.case, actor=self.mediator, visited_on=self.day, method="电话回访",
                              findings="申请人确认款项已全部收到，对调解结果满意。")

    def step_complete_performance(self) -> None:
        self.pay()
        self.visit()

        self.do("follow_up", self.mediator, steps.performance_conclude, case=self.case, outcome="performed",
                on=self.day)

    def step_default(self) -> None:
        """T14: an instalment date passed unpaid. The flow has no timer for it yet, so it is
        recorded the way the follow-up page records it, a few days after the missed date."""
        missed = min(i.due_on for i in self.case.agreement.instalments.all() if not i.paid_on)
        self.day = min(max(self.day, missed + datetime.timedelta(days=3)), self.run.today)
        if self.day <= missed:
            raise DemoError(f"{self.case.case_no}: instalment of {missed} is not overdue yet")
        services.case_record_default(case=self.case, actor=self.mediator, on=self.day,
                                     note="经电话催告，被申请人仍未支付")
        self.case.refresh_from_db()

    def step_payment_order(self) -> None:
        on = self.advance(2 + self.rng.randrange(3))

        self.do("follow_up", self.mediator, steps.performance_conclude, case=self.case, outcome="payment_order",
                on=on)

    def _violation(self, kinds: list[str]) -> dict:
        """A referral to labour inspection names when the violation ended (D31): the month before receipt."""
        if ReferralKind.INSPECTION not in kinds:
            return {}
        return {"violation_on": self.case.received_on - datetime.timedelta(days=30)}

    def step_debtor_pays(self) -> None:
        """D26: the order is served on the debtor, who pays within the 15 days from service."""
        request = self.case.confirmation_requests.filter(kind=RequestKind.PAYMENT_ORDER,
                                                         decision=RequestDecision.CONFIRMED).latest("id")
        liaison = self.run.liaison(request.target_agency)
        served = self.advance(2 + self.rng.randrange(3))
        services.payment_order_serve(request=request, actor=liaison, served_on=served)
        self.do("payment_order_response", liaison, steps.payment_order_respond, request=request, response="PAID",
                on=self.advance(4 + self.rng.randrange(6)), note="债务人收到支付令后清偿全部欠款。")
        self.case.refresh_from_db()

    def step_enforce(self) -> None:
        """T16: a confirmed agreement not performed goes to the court for enforcement, which files it."""
        on = self.advance(3)
        self.do("follow_up", self.mediator, steps.performance_conclude, case=self.case, outcome="enforcement",
                on=on, note="经司法确认的调解协议逾期未履行，申请人申请强制执行。")
        application = self.case.enforcement_applications.latest("id")
        court = application.court
        services.enforcement_accept(application=application, actor=self.run.liaison(court),
                                    accepted_on=self.advance(2 + self.rng.randrange(3)),
                                    case_no=f"（{self.day.year}）陕{court.county[2:]}执{self.run.number('执' + court.county)}号")
        self.case.refresh_from_db()

    def step_withdraw_from_case_page(self, reason: str) -> None:
        """T21 after the agreement: recorded on the case page; the flow's open step is cancelled."""
        case_withdraw(case=self.case, actor=self.mediator, reason=reason, on=self.advance(2))
        self.case.refresh_from_db()

    def step_refer_after_default(self, kinds: list[str]) -> None:
        on = self.advance(3)

        self.do("follow_up", self.mediator, steps.performance_conclude, case=self.case, outcome="refer", on=on,
                note="协议逾期未履行，且不属于可申请支付令的事项，转劳动仲裁。", referral_kinds=kinds,
                **self._violation(kinds))

    # ------------------------------------------------ T19–T20 referrals

    _REFERRAL_STEP = {ReferralKind.ARBITRATION: "arbitration", ReferralKind.LEGAL_AID: "legal_aid",
                      ReferralKind.SUPPORT_PROSECUTION: "supporting_prosecution",
                      ReferralKind.INSPECTION: "labor_inspection"}

    def referral_done(self, kind: str) -> None:
        referral = self.case.referrals.filter(kind=kind).latest("id")
        liaison = self.run.liaison(referral.target_agency)
        short = COUNTY_SHORT.get(referral.target_agency.county, "安")
        year = referral.sent_on.year
        n = self.run.number(f"referral:{kind}")
        decision, result, doc = {
            ReferralKind.ARBITRATION: ("符合受理条件，予以立案。", "经仲裁庭调解，双方达成调解协议，已出具仲裁调解书并送达。",
                                       f"{short}劳人仲案字〔{year}〕第{n}号"),
            ReferralKind.LEGAL_AID: ("申请人系农民工，追索劳动报酬/工伤赔偿，免予经济困难状况审查，决定给予法律援助。",
                                     "已指派陕西秦风律师事务所律师代理仲裁及诉讼。", f"{short}法援〔{year}〕{n}号"),
            ReferralKind.SUPPORT_PROSECUTION: ("申请人系进城务工人员，用人单位负责人下落不明，符合支持起诉条件。",
                                               "已向人民法院提交支持起诉书，法院已立案受理。", f"{short}检民支〔{year}〕{n}号"),
            ReferralKind.INSPECTION: ("已立案调查。", "已向用人单位下达劳动保障监察责令改正决定书，责令补签劳动合同、补缴社会保险。",
                                      f"{short}人社监责改字〔{year}〕第{n}号"),
        }[kind]
        received = max(referral.sent_on + datetime.timedelta(days=1), self.day)
        received = min(received, self.run.today)
        self.day = min(received + datetime.timedelta(days=3 + self.rng.randrange(5)), self.run.today)
        done = self.day
        self.do(self._REFERRAL_STEP[kind], liaison, steps.referral_answer, referral=referral, received_on=received,
                accepted=True, decided_on=received, decision_note=decision, result=result, document_no=doc,
                result_on=done)

    # ------------------------------------------------ T22–T23

    def step_close(self) -> None:
        self.advance(2)
        code = services.suggested_closing_code(self.case)
        performed = self.case.status == CaseStatus.PERFORMED
        self.do("close", self.head, steps.case_close_decide, case=self.case, closing_code=code, on=self.day,
                follow_up_done=performed, note="卷宗材料齐全，准予结案。")

    def step_archive(self) -> None:
        from mediation.cases.document_services import case_file_generate

        case_file_generate(case=self.case, actor=self.head)  # archiving needs the bound case file
        self.do("archive", self.head, steps.case_file_archive, case=self.case)

    # ------------------------------------------------ the paths of PLANS

    def path_received(self):
        pass

    def path_accepted(self):
        self.step_accept()

    def path_assigned(self):
        self.step_accept()
        self.step_assign()

    def path_in_mediation(self):
        self.step_mediate(sessions=1 + int(self.case.is_collective or self.variant % 2))

    def path_extended(self):
        self.step_mediate(sessions=2)
        self.step_extend()

    def path_agreed_judicial(self):
        self.step_mediate(sessions=2)
        self.step_agree(path=ConfirmationPath.JUDICIAL)

    def path_agreed_instalments(self):
        self.step_mediate(sessions=1)
        self.step_agree(schedule="three")

    def _judicial(self, schedule: str = "two", path: str = ConfirmationPath.JUDICIAL):
        self.step_mediate(sessions=2)
        self.step_agree(path=path, schedule=schedule)
        self.step_file()

    def path_confirmation_pending(self):
        self._judicial()

    def path_arbitral_pending(self):
        self._judicial(path=ConfirmationPath.ARBITRAL)

    def path_confirmed(self):
        self._judicial(schedule="three")
        self.step_confirm()

    def path_confirmation_refused(self):
        self._judicial()
        self._decide("judicial_confirmation", RequestKind.JUDICIAL_CONFIRMATION, confirm=False,
                     reason="协议约定申请人放弃工伤保险待遇中的法定项目，损害申请人合法权益，不予确认；"
                            "当事人可变更协议内容后重新申请。")

    def path_performing(self):
        self.step_mediate(sessions=1 + int(self.case.is_collective))
        self.step_agree(schedule="three")
        self.pay(1)

    def path_defaulted(self):
        self.step_mediate(sessions=1)
        self.step_agree(schedule="overdue")
        self.step_default()

    def path_enforcement(self):
        self.path_defaulted()
        self.step_payment_order()

    def path_enforcement_confirmed(self):
        self._judicial(schedule="overdue")
        self.step_confirm()
        self.step_default()
        self.step_enforce()

    def path_withdrawn_after_agreement(self):
        self.step_mediate(sessions=1)
        self.step_agree(schedule="three")
        self.step_withdraw_from_case_page("双方自行协商一致，被申请人已另行支付；申请人书面撤回，不再需要调解组织跟踪履行。")

    def path_payment_order_issued(self):
        self.path_enforcement()
        self._decide("payment_order", RequestKind.PAYMENT_ORDER, confirm=True)

    def path_paid_on_spot(self):
        self.step_mediate(sessions=1)
        self.step_agree(spot=True)

    def path_performed(self):
        self.step_mediate(sessions=2)
        self.step_agree(schedule="short")
        self.step_complete_performance()

    def path_referred_out(self):
        self.step_mediate(sessions=2)
        self.step_fail([ReferralKind.ARBITRATION, ReferralKind.LEGAL_AID])

    def path_referred_partly(self):
        self.path_referred_out()
        self.referral_done(ReferralKind.LEGAL_AID)

    def path_referred_prosecution(self):
        self.step_mediate(sessions=1)
        self.step_fail([ReferralKind.SUPPORT_PROSECUTION, ReferralKind.LEGAL_AID])

    def path_referred_after_default(self):
        self.path_defaulted()
        self.step_refer_after_default([ReferralKind.ARBITRATION])

    def path_withdrawn(self):
        self.step_mediate(sessions=1)
        self.step_withdraw()

    def path_not_accepted(self):
        reason = ("该争议已有生效仲裁裁决，不属于调解受理范围。" if self.plan.story == "award_exists"
                  else "被申请人明确表示不同意调解。已书面告知申请人可在一年仲裁时效内申请劳动仲裁。")
        self.step_not_accept(reason)

    def path_redirected(self):
        if self.plan.story == "wrong_county":
            self.step_redirect("汉阴县总工会", "用人单位注册地和用工地均在汉阴县，按属地管辖转汉阴县总工会调解。")
        else:
            inspection = self.run.agencies[f"inspection:{self.plan.county}"].name
            self.step_redirect(inspection, "申请人反映用人单位未依法参加社会保险，无具体金额请求，属劳动保障监察职责。")

    def path_closed_paid_on_spot(self):
        self.path_paid_on_spot()
        self.step_close()

    def path_closed_judicial(self):
        self._judicial(schedule="short")
        self.step_confirm()
        self.step_complete_performance()
        self.step_close()

    def path_closed_arbitral(self):
        self._judicial(schedule="short", path=ConfirmationPath.ARBITRAL)
        self.step_confirm()
        self.step_complete_performance()
        self.step_close()

    def path_closed_payment_order(self):
        self.path_payment_order_issued()
        self.step_debtor_pays()
        self.visit()
        self.step_close()

    def path_closed_arbitration(self):
        self.step_mediate(sessions=2)
        self.step_fail([ReferralKind.ARBITRATION])
        self.referral_done(ReferralKind.ARBITRATION)
        self.step_close()

    def path_closed_prosecution(self):
        self.path_referred_prosecution()
        self.referral_done(ReferralKind.LEGAL_AID)
        self.referral_done(ReferralKind.SUPPORT_PROSECUTION)
        self.step_close()

    def path_closed_inspection(self):
        self.step_mediate(sessions=1)
        self.step_fail([ReferralKind.INSPECTION])
        self.referral_done(ReferralKind.INSPECTION)
        self.step_close()

    def path_closed_not_accepted(self):
        self.path_not_accepted()
        self.step_close()

    def path_closed_withdrawn(self):
        self.path_withdrawn()
        self.step_close()

    def path_archived_paid_on_spot(self):
        self.path_closed_paid_on_spot()
        self.step_archive()

    def path_archived_judicial(self):
        self.path_closed_judicial()
        self.step_archive()

    def path_archived_arbitration(self):
        self.step_mediate(sessions=2)
        self.step_fail([ReferralKind.ARBITRATION, ReferralKind.LEGAL_AID])
        self.referral_done(ReferralKind.LEGAL_AID)
        self.referral_done(ReferralKind.ARBITRATION)
        self.step_close()
        self.step_archive()

    # ------------------------------------------------

    def drive(self) -> Case:
        self.step_open()
        getattr(self, f"path_{self.plan.path}")()
        self.case.refresh_from_db()
        return self.case


# The state each plan ends in; checked by the tests and printed by the command.
EXPECTED_STATE = {
    "received": CaseStatus.RECEIVED, "accepted": CaseStatus.ACCEPTED, "assigned": CaseStatus.ACCEPTED,
    "in_mediation": CaseStatus.IN_MEDIATION, "extended": CaseStatus.EXTENDED,
    "agreed_judicial": CaseStatus.AGREEMENT_EFFECTIVE, "agreed_instalments": CaseStatus.AGREEMENT_EFFECTIVE,
    "confirmation_pending": CaseStatus.CONFIRMATION_PENDING, "arbitral_pending": CaseStatus.CONFIRMATION_PENDING,
    "confirmed": CaseStatus.CONFIRMED, "confirmation_refused": CaseStatus.CONFIRMATION_REFUSED,
    "performing": CaseStatus.PERFORMING, "defaulted": CaseStatus.DEFAULTED, "enforcement": CaseStatus.ENFORCEMENT,
    "payment_order_issued": CaseStatus.ENFORCEMENT, "paid_on_spot": CaseStatus.PERFORMED,
    "enforcement_confirmed": CaseStatus.ENFORCEMENT, "withdrawn_after_agreement": CaseStatus.WITHDRAWN,
    "performed": CaseStatus.PERFORMED, "referred_out": CaseStatus.REFERRED_OUT,
    "referred_partly": CaseStatus.REFERRED_OUT, "referred_prosecution": CaseStatus.REFERRED_OUT,
    "referred_after_default": CaseStatus.REFERRED_OUT, "withdrawn": CaseStatus.WITHDRAWN,
    "not_accepted": CaseStatus.NOT_ACCEPTED, "redirected": CaseStatus.REDIRECTED,
    **{p: CaseStatus.CLOSED for p in ("closed_paid_on_spot", "closed_judicial", "closed_arbitral",
                                      "closed_payment_order", "closed_arbitration", "closed_prosecution",
                                      "closed_inspection", "closed_not_accepted", "closed_withdrawn")},
    **{p: CaseStatus.ARCHIVED for p in ("archived_paid_on_spot", "archived_judicial", "archived_arbitration")},
}
