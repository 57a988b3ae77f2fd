"""Demo data of 一函两书 (DOMAIN §4): six supervision matters of 汉滨区总工会, one for each
typical situation, loaded by `manage.py demo_data` right after the mediation cases.

1. 提示函 to a 毛绒玩具 community factory before the Spring Festival: rectified, closed.
2. A 城乡客运 company: 提示函 ignored → 意见书 refused → 建议书 to 汉滨区劳动保障监察大队,
   filed there: waits for the department's result (hb_insp's inbox).
3. A chain supermarket: 意见书 delivered, the employer's written reply is awaited (D40 running).
4. A clue found while mediating a community-factory case (linked to that case when the
   cases demo has it): waits for the investigation (the labor-law supervisors' inbox).
5. A 富硒茶 company passed to 汉滨区人民检察院 as a clue: waits for its feedback (hb_procur's
   inbox); the 意见书 is still to be drafted.
6. A mass 提示函 to the construction companies of 汉滨区 about migrant workers' wages,
   co-issued with the district HR bureau: some replies in, others awaited (D42 running).

Built the way users build them: SupervisionFlow's entry points (`matter_open`, `referral_open`),
then each step completed through `workflows.engine.task_execute` with the service call of the
step's page (workflows/supervision_views.py); deliveries and the mass 提示函 call the services
their pages call (mediation/supervision/views.py). Document numbers, frozen letter texts,
clocks, tasks, task addresses, partner permissions and the audit trail are therefore exactly
what the application writes. The only rows written directly are the employers (with valid
GB 32100 credit codes; an employer the cases demo already made is reused).

Dates: the services refuse future dates, so every date in the file is a working day before
today (the Spring Festival story uses the last Spring Festival that fits). Timestamps the
database sets itself (events, tasks) carry the time of the run.

Idempotent: a matter is recognised by its title; the ones already there are left alone.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task

from mediation.cases.models import Case
from mediation.clocks.workdays import WorkCalendar
from parties.models import County, Employer, EmployerKind, Industry
from parties.services import agencies_ensure_ankang
from parties.validators import CREDIT_CODE_ALPHABET, credit_code_check_char
from workflows.engine import OPEN_TASK_STATUSES, step_complete
from workflows.supervision_flow import matter_open, referral_open

from . import services, steps
from .models import (
    ClueSource,
    Conclusion,
    DeliveryMethod,
    DepartmentAction,
    DepartmentDecision,
    Letter,
    LetterKind,
    LetterRecipient,
    MatterStatus,
    ReferralGround,
    ReplyKind,
    SupervisionMatter,
    SupervisionScope,
    Verification,
)

HB = County.HANBIN.value
ONE_DAY = datetime.timedelta(days=1)

# The demo logins this area acts with (created by mediation.cases.demo).
LSUP, LSUP2, INSP, PROCUR = "hb_lsup", "hb_lsup2", "hb_insp", "hb_procur"
# The chair of 汉滨区总工会 (陈立军), who signs off its letters (签发).
CHAIR = "hb_chair"

# The office telephone of 汉滨区总工会劳动法律监督委员会.
CONTACT_PHONE = "0915-3212351"

# 春节 (first day of the lunar year). Years not listed fall back to 1 February.
SPRING_FESTIVAL = {
    2024: datetime.date(2024, 2, 10), 2025: datetime.date(2025, 1, 29), 2026: datetime.date(2026, 2, 17),
    2027: datetime.date(2027, 2, 6), 2028: datetime.date(2028, 1, 26), 2029: datetime.date(2029, 2, 13),
    2030: datetime.date(2030, 2, 3), 2031: datetime.date(2031, 1, 23), 2032: datetime.date(2032, 2, 11),
    2033: datetime.date(2033, 1, 31), 2034: datetime.date(2034, 2, 19), 2035: datetime.date(2035, 2, 8),
}

LABOR_LAW_WAGES = "《中华人民共和国劳动法》第五十条：工资应当以货币形式按月支付给劳动者本人。不得克扣或者无故拖欠劳动者的工资。"
WAGE_RULES_ART7 = "《工资支付暂行规定》第七条：工资必须在用人单位与劳动者约定的日期支付……工资至少每月支付一次。"


class DemoError(RuntimeError):
    """A demo matter could not be driven to its state (a bug in the plan or in a service)."""


def spring_festival(year: int) -> datetime.date:
    return SPRING_FESTIVAL.get(year, datetime.date(year, 2, 1))


# ---------------------------------------------------------------- employers


@dataclass(frozen=True)
class EmployerSpec:
    name: str
    legal_rep: str
    industry: str
    address: str
    headcount: int
    kind: str = EmployerKind.ENTERPRISE
    has_union: bool = False
    county: str = HB


# GB 32100 registration-authority + organisation-type prefix (the same as the cases demo's).
_CREDIT_PREFIX = {EmployerKind.INDIVIDUAL: "92", EmployerKind.COOPERATIVE: "93", EmployerKind.NON_ENTERPRISE: "52"}


def credit_code(name: str, county: str, kind: str = EmployerKind.ENTERPRISE) -> str:
    """A valid unified social credit code derived from the name (the cases demo derives its
    employers' codes the same way, so one name gives one employer in both demos)."""
    digest = hashlib.sha256(name.encode()).digest()
    body = _CREDIT_PREFIX.get(kind, "91") + county + "".join(CREDIT_CODE_ALPHABET[b % 31] for b in digest[:9])
    return body + credit_code_check_char(body)


def employer_ensure(spec: EmployerSpec) -> Employer:
    """The employer of `spec`: the existing row (same credit code, or same name in the county), else a new one."""
    code = credit_code(spec.name, spec.county, spec.kind)
    employer = (Employer.objects.filter(credit_code=code).first()
                or Employer.objects.filter(name=spec.name, county=spec.county).order_by("id").first())
    if employer is not None:
        return employer
    employer = Employer(
        name=spec.name, credit_code=code, kind=spec.kind, legal_representative=spec.legal_rep,
        address=spec.address, county=spec.county, industry=spec.industry, headcount=spec.headcount,
        has_union=spec.has_union,
    )
    employer.full_clean()  # a wrong code is a bug of this file: let it raise
    employer.save()
    return employer


TOY_FACTORY = EmployerSpec(
    "安康市汉滨区欣悦毛绒玩具有限公司", "符春梅", Industry.COMMUNITY_FACTORY,
    "陕西省安康市汉滨区张滩镇易地扶贫搬迁安置社区社区工厂1号厂房", 52)
COACH = EmployerSpec(
    "安康市汉江城乡客运有限公司", "贾海军", Industry.LOGISTICS,
    "陕西省安康市汉滨区江北街道安康汽车北站院内", 126)
SUPERMARKET = EmployerSpec(
    "安康市汉滨区惠民佳连锁超市有限公司", "叶春燕", Industry.RETAIL,
    "陕西省安康市汉滨区新城街道兴安中路116号", 210)
# Same name and data as the cases demo's "electronics_piece" story: one employer for both.
ELECTRONICS = EmployerSpec(
    "安康市汉滨区智联电子科技有限公司", "程宏伟", Industry.COMMUNITY_FACTORY, "陕西省安康市汉滨区", 110)
TEA = EmployerSpec(
    "安康市汉滨区秦巴硒谷茶业有限公司", "邹桂英", Industry.TEA_FOOD,
    "陕西省安康市汉滨区瀛湖镇富硒茶加工园区8号", 95)
# The recipients of the mass 提示函; the last two are the cases demo's construction employers.
BUILDERS = (
    EmployerSpec("安康市恒口建筑安装工程有限公司", "孟德胜", Industry.CONSTRUCTION,
                 "陕西省安康市汉滨区恒口镇示范区迎宾大道18号", 160),
    EmployerSpec("安康市江北城建工程有限公司", "廖建国", Industry.CONSTRUCTION,
                 "陕西省安康市汉滨区江北街道滨江大道2号", 230, has_union=True),
    EmployerSpec("安康市汉滨区瀛湖路桥工程有限公司", "覃永福", Industry.CONSTRUCTION,
                 "陕西省安康市汉滨区瀛湖镇瀛湖大道36号", 85),
    EmployerSpec("陕西秦汉建设工程有限公司", "谢宏伟", Industry.CONSTRUCTION, "陕西省安康市汉滨区", 420,
                 has_union=True),
    EmployerSpec("安康市兴汉建筑劳务有限公司", "曹金山", Industry.CONSTRUCTION, "陕西省安康市汉滨区", 35),
)


# ---------------------------------------------------------------- driving the flow


class _Demo:
    """What the matters of one run share: the day, the calendar, the agencies and the users."""

    def __init__(self, *, agencies, users, today: datetime.date):
        self.today = today
        self.calendar = WorkCalendar()
        self.union = agencies[f"union:{HB}"]
        self.hrss = agencies[f"hrss:{HB}"]
        self.inspection = agencies[f"inspection:{HB}"]
        self.procuratorate = agencies[f"procuratorate:{HB}"]
        self.lsup, self.lsup2, self.insp, self.procur, self.chair = (
            users[u] for u in (LSUP, LSUP2, INSP, PROCUR, CHAIR))

    # dates

    def working(self, day: datetime.date) -> bool:
        return self.calendar.day(day).is_working

    def on_or_before(self, day: datetime.date) -> datetime.date:
        day = min(day, self.today)
        while not self.working(day):
            day -= ONE_DAY
        return day

    def ago(self, n: int) -> datetime.date:
        """The n-th working day before today (0: today, or the last working day)."""
        day = self.on_or_before(self.today)
        for _ in range(n):
            day = self.on_or_before(day - ONE_DAY)
        return day

    def after(self, day: datetime.date, n: int) -> datetime.date:
        """n working days after `day` (may lie in the future: a due date)."""
        for _ in range(n):
            day += ONE_DAY
            while not self.working(day):
                day += ONE_DAY
        return day

    # tasks and letters

    @staticmethod
    def task(matter: SupervisionMatter, step: str) -> Task:
        for task in Task.objects.filter(process__supervisionprocess__matter=matter, status__in=OPEN_TASK_STATUSES):
            if task.flow_task.name == step:
                return task
        raise DemoError(f"{matter.matter_no}: no open task {step!r}")

    def do(self, matter: SupervisionMatter, step: str, user, entry: Callable, /, **kwargs):
        """Complete the open task `step` with the step's entry point, as its page does."""
        return step_complete(task=self.task(matter, step), user=user, entry=entry, **kwargs)

    def investigate(self, matter, *, on, method, place, findings, conclusion):
        return self.do(matter, "investigate", self.lsup, steps.investigation_conclude, matter=matter,
                       conducted_on=on, method=method, place=place, findings=findings, conclusion=conclusion,
                       investigators=[self.lsup, self.lsup2])

    def issue(self, matter, step: str, kind: str, *, issued_on: datetime.date, **kwargs) -> Letter:
        """The supervisor drafts (`step`), the chair signs off on `issued_on` (`sign_off_…`)."""
        kwargs.setdefault("contact_person", self.lsup.staff.full_name)
        kwargs.setdefault("contact_phone", CONTACT_PHONE)
        self.do(matter, step, self.lsup, steps.letter_submit, matter=matter, kind=kind, issued_on=issued_on,
                **kwargs)
        draft = services.pending_draft(matter, kind)
        self.do(matter, step.replace("issue_", "sign_off_"), self.chair, steps.letter_decide, draft=draft,
                approve=True, issued_on=issued_on)
        draft.refresh_from_db()
        return draft.letter

    def deliver(self, recipient: LetterRecipient, *, on, method, receipt, actor=None) -> LetterRecipient:
        return services.letter_delivery_record(actor=actor or self.lsup, recipient=recipient, method=method,
                                               delivered_on=on, receipt=receipt)

    def reply(self, recipient: LetterRecipient, *, actor=None, **kwargs) -> LetterRecipient:
        """A reply recorded on its own (one of several recipients; the step completes with the last)."""
        return services.letter_reply_record(actor=actor or self.lsup, recipient=recipient, **kwargs)

    def follow(self, matter, step: str, letter: Letter, **kwargs):
        """The reply (or its absence) and the union's verification, completing `step`."""
        return self.do(matter, step, self.lsup, steps.letter_follow, recipient=letter.recipients.get(), **kwargs)


def _cn(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _month_before(day: datetime.date, n: int) -> int:
    return (day.month - 1 - n) % 12 + 1


# ---------------------------------------------------------------- the six matters


def festival_dates(d: _Demo) -> tuple[datetime.date, ...]:
    """(Spring Festival, investigated, issued, replied, verified) for the last Spring Festival
    whose story, about four to six weeks before it, is over by today."""
    year = d.today.year + 1
    while True:
        sf = spring_festival(year)
        checked = d.on_or_before(sf - datetime.timedelta(days=40))
        issued = d.after(checked, 1)
        replied = d.after(issued, 6)
        verified = d.after(replied, 1)
        if verified < d.today:
            return sf, checked, issued, replied, verified
        year -= 1


def festival_factory(d: _Demo) -> SupervisionMatter:
    """1. Before the last Spring Festival that fits: risk of unpaid wages → 提示函 → paid, closed."""
    sf, checked, issued, replied, verified = festival_dates(d)
    late, last = _month_before(checked, 2), _month_before(checked, 1)
    employer = employer_ensure(TOY_FACTORY)
    matter = matter_open(
        actor=d.lsup, title=TITLE_FESTIVAL_FACTORY, source=ClueSource.SCREENING, employer=employer,
        source_ref=f"汉滨区{sf.year}年春节前欠薪隐患排查第14号",
        clue=(f"{sf.year}年春节前欠薪隐患排查中，张滩镇安置社区反映：{employer.name}的外贸毛绒玩具订单回款周期拉长，"
              f"{late}月工资推迟20多天才发放，{last}月工资至今未发。工厂52名缝纫、充棉、包装工中46人是易地搬迁群众，"
              "担心春节前拿不到工资。"),
    )
    d.investigate(
        matter, on=checked, conclusion=Conclusion.RISK,
        method="实地走访、调阅工资发放台账和订单回款记录、与职工代表座谈",
        place="汉滨区张滩镇易地扶贫搬迁安置社区社区工厂",
        findings=(f"与职工代表8人座谈。该厂{late}月工资已于上月底补发，{last}月工资约13.5万元尚未发放，须待两笔外贸订单回款后支付，"
                  "年终计件奖金约5万元未作安排；工资发放日未在车间公示。目前尚未形成拖欠，但春节前存在集中欠薪风险。"),
    )
    letter = d.issue(
        matter, "issue_reminder", LetterKind.REMINDER, issued_on=issued,
        subject="春节前按时足额支付职工工资",
        facts=(f"{sf.year}年春节临近。经本会劳动法律监督员走访核实，贵单位{last}月工资约13.5万元尚未发放，"
               "年终计件奖金未作安排，涉及职工52人，其中易地搬迁群众46人，春节前存在拖欠工资风险。"),
        legal_basis=f"{LABOR_LAW_WAGES}\n{WAGE_RULES_ART7}",
        requirements=(f"（一）优先安排资金，于春节放假前足额发放{last}月工资和年终计件奖金；"
                      "（二）在车间公示每月工资发放日和计件单价，按月足额支付工资；"
                      "（三）订单回款确有困难的，及时与职工协商并向社区和本会报告，不得无故拖欠。"),
        cc="汉滨区张滩镇人民政府、汉滨区人力资源和社会保障局",
    )
    d.deliver(letter.recipients.get(), on=issued, method=DeliveryMethod.IN_PERSON, receipt="厂长符春梅当场签收")
    d.follow(matter, "follow_reminder", letter, reply_kind=ReplyKind.ACCEPTED, replied_on=replied,
             reply_content=(f"我厂已于{_cn(d.after(issued, 4))}通过银行代发{last}月工资135,200元，"
                            f"年终计件奖金51,200元于{_cn(replied)}发放到职工个人账户；今后每月15日发放上月工资，"
                            "发放日和计件单价已在车间公示。"),
             verification=Verification.RECTIFIED, verified_on=verified,
             verification_note="劳动法律监督员到厂回访，核对银行代发明细并随机询问职工12人，确认52名职工工资和奖金已于春节前全部发放。",
             amount_recovered=Decimal("186400"), workers_covered=52)
    return matter


def coach_ladder(d: _Demo) -> SupervisionMatter:
    """2. The whole ladder to labor inspection, which has filed the case and still investigates."""
    employer = employer_ensure(COACH)
    found = d.ago(78)
    matter = matter_open(
        actor=d.lsup, title=TITLE_COACH, source=ClueSource.HOTLINE, employer=employer,
        source_ref=f"12351-{found:%Y%m%d}-0217",
        clue=("12351职工服务热线接到该公司多名城乡班线客车驾驶员来电反映：公司实行“包车到人”的承包经营，"
              "驾驶员每天出车13个小时以上，每月只休2天，从未领过加班工资；公司只与驾驶员签订《车辆承包经营合同》，"
              "未签劳动合同，也未缴纳社会保险。涉及安康至紫阳、岚皋、平利等城乡班线驾驶员和乘务员约60人。"),
    )
    d.investigate(
        matter, on=d.ago(76), conclusion=Conclusion.RISK,
        method="实地走访、询问职工和约谈企业负责人",
        place="安康汽车北站、公司调度室",
        findings=("在汽车北站发车现场询问驾驶员、乘务员9人，约谈公司分管负责人。公司以车辆承包为由，未与班线驾驶员、乘务员签订劳动合同；驾驶员工作时间普遍超过法定标准，"
                  "存在疲劳驾驶安全隐患和加班工资、社会保险争议风险。公司称承包驾驶员不属于本单位职工，"
                  "未能提供考勤和工资记录。"),
    )
    issued = d.ago(75)
    reminder = d.issue(
        matter, "issue_reminder", LetterKind.REMINDER, issued_on=issued,
        subject="规范班线驾驶员劳动用工和工作时间",
        facts=("经本会劳动法律监督员走访了解，贵单位城乡班线驾驶员、乘务员约60人以承包经营方式上岗，"
               "未签订书面劳动合同，日均工作时间超过12小时，每月休息仅2天左右，存在违法延长工作时间、"
               "拖欠加班工资和未参加社会保险的风险，也存在疲劳驾驶的安全隐患。"),
        legal_basis=("《中华人民共和国劳动法》第三十六条、第四十一条、第四十四条；"
                     "《中华人民共和国劳动合同法》第十条；"
                     "《中华人民共和国道路交通安全法实施条例》第六十二条第（七）项"),
        requirements=("（一）对承包经营的驾驶员、乘务员的用工性质进行自查，依法签订书面劳动合同；"
                      "（二）合理排班，保证驾驶员每周至少休息一日，杜绝连续驾驶超过4小时；"
                      "（三）对延长工作时间的，依法支付加班工资。"),
        cc="汉滨区交通运输局",
    )
    d.deliver(reminder.recipients.get(), on=issued, method=DeliveryMethod.IN_PERSON, receipt="公司办公室主任邵明亮签收")
    ignored_on = reminder.reply_due + datetime.timedelta(days=1)  # D42 ran out without a reply
    d.follow(matter, "follow_reminder", reminder, reply_kind=ReplyKind.NO_REPLY, replied_on=None, reply_content="",
             verification=Verification.NOT_RECTIFIED, verified_on=ignored_on,
             verification_note=f"书面反馈期限届满未收到回复。{_cn(ignored_on)}回访：排班未调整，承包合同未变更。")

    issued = d.ago(47)
    deadline = issued + datetime.timedelta(days=30)
    opinion = d.issue(
        matter, "issue_opinion", LetterKind.OPINION, issued_on=issued,
        subject="班线驾驶员超时加班、未签劳动合同和未缴社会保险",
        facts=("提示函逾期未获反馈后，本会劳动法律监督员再次到公司调取了近三个月的发班记录和车辆GPS运行数据，"
               "询问驾驶员、乘务员21人。"),
        legal_basis=("《中华人民共和国劳动法》第三十六条、第四十一条、第四十四条；《中华人民共和国劳动合同法》第十条、第八十二条；"
                     "《中华人民共和国社会保险法》第五十八条、第六十条"),
        requirements="请对下列问题逐项整改，按实际加班时长补发加班工资，依法签订劳动合同并办理社会保险登记。",
        violations=[
            dict(category=SupervisionScope.WORKING_TIME,
                 facts="58名班线驾驶员、乘务员日均工作13.5小时，每月仅休息2天，月延长工作时间普遍超过100小时，公司未支付加班工资。",
                 evidence="发班记录、车辆GPS运行数据、驾驶员询问笔录21份",
                 legal_basis="《中华人民共和国劳动法》第三十六条、第四十一条、第四十四条",
                 rectification="合理排班，每月延长工作时间不超过36小时；按实际加班时长补发近两年加班工资",
                 deadline=deadline, workers_affected=58, amount="464000"),
            dict(category=SupervisionScope.LABOR_CONTRACT,
                 facts="以《车辆承包经营合同》代替劳动合同，58名驾驶员、乘务员未签订书面劳动合同。",
                 evidence="《车辆承包经营合同》样本、驾驶员询问笔录",
                 legal_basis="《中华人民共和国劳动合同法》第十条、第八十二条",
                 rectification="与58名驾驶员、乘务员依法签订书面劳动合同",
                 deadline=deadline, workers_affected=58, amount="0"),
            dict(category=SupervisionScope.WAGES_INSURANCE,
                 facts="未为上述58名驾驶员、乘务员参加社会保险。",
                 evidence="社会保险参保信息查询结果",
                 legal_basis="《中华人民共和国社会保险法》第五十八条、第六十条",
                 rectification="办理社会保险登记，依法补缴社会保险费",
                 deadline=deadline, workers_affected=58, amount="0"),
        ],
        cc="汉滨区劳动保障监察大队",
    )
    d.deliver(opinion.recipients.get(), on=d.ago(46), method=DeliveryMethod.POST,
              receipt="EMS 1180 2436 7751 3 妥投，签收人：贾海军")
    d.follow(matter, "follow_opinion", opinion, reply_kind=ReplyKind.REFUSED, replied_on=d.ago(38),
             reply_content=("公司认为承包驾驶员自负盈亏，与公司系承包经营关系而非劳动关系，不同意补发加班工资和补缴社会保险；"
                            "排班将视客流情况调整。"),
             verification=Verification.NOT_RECTIFIED, verified_on=d.ago(36),
             verification_note="回访核查：排班未调整，未签订劳动合同，未办理参保登记。")

    issued = d.ago(34)
    recommendation = d.issue(
        matter, "issue_recommendation", LetterKind.RECOMMENDATION, issued_on=issued,
        subject="提请依法查处安康市汉江城乡客运有限公司违法用工行为",
        facts=("该公司收到意见书后书面拒绝整改。58名班线驾驶员、乘务员长期超时工作，未签劳动合同，未参加社会保险，"
               "既损害职工合法权益，也危及城乡客运安全。"),
        legal_basis="《劳动保障监察条例》第十一条、第二十五条、第二十六条、第二十七条",
        requirements=("请依法立案调查，责令该公司限期签订劳动合同、支付加班工资、办理社会保险登记并补缴，"
                      "对违法延长工作时间的行为依法予以处罚，并将查处结果书面反馈本会。"),
        department=d.inspection,
        recommended_actions=[DepartmentAction.FILE_AND_INVESTIGATE, DepartmentAction.ORDER_CORRECTION,
                             DepartmentAction.PENALTY],
        reply_due=issued + datetime.timedelta(days=7),
        cc="汉滨区人力资源和社会保障局、汉滨区交通运输局",
    )
    delivered = d.ago(33)
    d.do(matter, "deliver_recommendation", d.lsup, steps.recommendation_deliver,
         recipient=recommendation.recipients.get(), delivered_on=delivered, method=DeliveryMethod.IN_PERSON,
         receipt="监察大队综合股收文登记第118号")
    decided = d.ago(30)
    d.do(matter, "department_filing", d.insp, steps.department_decide, letter=recommendation,
         decision=DepartmentDecision.FILED, decided_on=decided, filing_no=f"汉人社监立〔{decided.year}〕37号")
    return matter


def supermarket_opinion(d: _Demo) -> SupervisionMatter:
    """3. A violation found at once → 意见书, delivered; the written reply is awaited (D40)."""
    employer = employer_ensure(SUPERMARKET)
    found = d.ago(21)
    matter = matter_open(
        actor=d.lsup2, title=TITLE_SUPERMARKET, source=ClueSource.HOTLINE, employer=employer,
        source_ref=f"12351-{found:%Y%m%d}-0388",
        clue=("12351热线连续接到该超市收银员、理货员来电反映：春节、国庆等法定节假日照常排班，只按平时工资计发；"
              "入职多年从未休过年休假；部分门店新员工上岗两三个月仍未签劳动合同。"),
    )
    d.investigate(
        matter, on=d.ago(16), conclusion=Conclusion.VIOLATION,
        method="实地检查、调阅排班表、考勤记录和工资表、个别询问职工",
        place="公司总部人力资源部、江北店、新城店",
        findings=("检查了公司总部和江北、新城两家门店，个别询问收银员、理货员12人。该公司8家门店共有一线员工186人。近一年法定节假日安排上班的，均按日常工资标准计发；"
                  "连续工作满一年的员工均未安排带薪年休假，也未支付未休年休假工资；"
                  "江北、高新两店9名新招收银员入职超过一个月未签订书面劳动合同。"),
    )
    issued = d.ago(8)
    deadline = issued + datetime.timedelta(days=30)
    letter = d.issue(
        matter, "issue_opinion", LetterKind.OPINION, issued_on=issued,
        subject="法定节假日加班工资、带薪年休假和劳动合同签订",
        facts=("本会接到12351热线职工来电反映后，检查了贵单位总部和江北、新城两家门店，调阅了近一年的排班表、"
               "考勤记录和工资表。贵单位8家门店共有一线员工186人，以下问题涉及其中100余人。"),
        legal_basis=("《中华人民共和国劳动法》第四十四条；《职工带薪年休假条例》第三条、第五条；"
                     "《中华人民共和国劳动合同法》第十条、第八十二条"),
        requirements="请逐项整改，补发差额工资，制定年休假安排计划，并与未签合同的员工补签书面劳动合同。",
        violations=[
            dict(category=SupervisionScope.WORKING_TIME,
                 facts="近一年法定节假日安排86名收银员、理货员上班，未按不低于工资300%的标准支付加班工资，差额约21.36万元。",
                 evidence="排班表、考勤记录、工资表、员工询问笔录12份",
                 legal_basis="《中华人民共和国劳动法》第四十四条第（三）项",
                 rectification="按法定标准补发法定节假日加班工资差额",
                 deadline=deadline, workers_affected=86, amount="213600"),
            dict(category=SupervisionScope.WORKING_TIME,
                 facts="41名连续工作满一年的员工从未安排带薪年休假，也未支付未休年休假工资报酬，约9.78万元。",
                 evidence="员工花名册、考勤记录",
                 legal_basis="《职工带薪年休假条例》第三条、第五条",
                 rectification="制定年休假安排计划；对应休未休的天数按日工资收入的300%支付工资报酬",
                 deadline=deadline, workers_affected=41, amount="97800"),
            dict(category=SupervisionScope.LABOR_CONTRACT,
                 facts="江北店、高新店9名收银员入职超过一个月未签订书面劳动合同。",
                 evidence="员工入职登记表、员工询问笔录",
                 legal_basis="《中华人民共和国劳动合同法》第十条、第八十二条",
                 rectification="立即补签书面劳动合同，并依法支付未签合同期间的二倍工资差额",
                 deadline=deadline, workers_affected=9, amount="0"),
        ],
        cc="汉滨区劳动保障监察大队",
    )
    d.deliver(letter.recipients.get(), on=d.ago(7), method=DeliveryMethod.IN_PERSON,
              receipt="公司人力资源部经理宋丽华签收")
    return matter


def case_clue(d: _Demo) -> SupervisionMatter:
    """4. A clue from a mediation case (when the cases demo made one), waiting for the investigation."""
    case = (Case.objects.filter(county=HB, respondents__employer__name=ELECTRONICS.name)
            .order_by("-received_on", "-id").first())
    if case is not None:
        employer = case.respondents.filter(employer__name=ELECTRONICS.name).first().employer
        place = f"设在{case.town}的社区工厂" if case.town else "设在安置社区的社区工厂"
        clue = (f"调解员在调解{case.case_no}（{case.workers_count}名组装工追索被扣发的工资）时发现："
                f"该企业自行制定《质量考核扣款办法》，未经职工代表大会或全体职工讨论，也未公示，"
                f"对返工率超标的班组每月按产量扣发20%工资。受影响的是其{place}的全部一线职工约110人，"
                "不限于申请调解的职工，需开展劳动法律监督。")
        kwargs = dict(source=ClueSource.CASE, source_case=case, source_ref=case.case_no)
    else:
        employer = employer_ensure(ELECTRONICS)
        clue = ("风险排查中，社区工厂职工反映：该企业自行制定《质量考核扣款办法》，未经职工代表大会或全体职工讨论，"
                "也未公示，对返工率超标的班组每月按产量扣发20%工资，涉及一线职工约110人。")
        kwargs = dict(source=ClueSource.SCREENING, source_ref="汉滨区社区工厂用工风险排查第6号")
    return matter_open(actor=d.lsup, title=TITLE_CASE_CLUE, employer=employer, clue=clue, **kwargs)


def tea_referral(d: _Demo) -> SupervisionMatter:
    """5. Violations found and the employer will not cooperate: the clue goes to the procuratorate."""
    employer = employer_ensure(TEA)
    matter = matter_open(
        actor=d.lsup, title=TITLE_TEA, source=ClueSource.SCREENING, employer=employer,
        source_ref="汉滨区茶产业用工风险排查第3号",
        clue=("茶产业用工风险排查发现：该公司茶叶加工车间以女职工为主，春茶、夏秋茶加工期间连续上夜班，"
              "其中有怀孕女职工；多名职工反映公司只为管理人员缴纳社会保险。"),
    )
    d.investigate(
        matter, on=d.ago(6), conclusion=Conclusion.VIOLATION,
        method="实地查看加工车间、个别询问职工",
        place="汉滨区瀛湖镇富硒茶加工园区公司加工车间",
        findings=("询问职工15人。该公司在岗职工95人，其中女职工71人；社会保险仅为12名管理人员缴纳，83名一线职工未参保。"
                  "加工旺季实行两班倒，怀孕7个月以上的女职工3人仍被安排夜班。公司负责人以“季节性用工”为由"
                  "拒绝提供工资台账和参保名单，拒不配合调查，已制作拒绝配合情况记录。"),
    )
    referral = referral_open(
        actor=d.lsup, matter=matter, agency=d.procuratorate, sent_on=d.ago(4),
        grounds=[ReferralGround.SOCIAL_INSURANCE, ReferralGround.SPECIAL_GROUPS, ReferralGround.NOT_COOPERATING],
        note=("该公司83名一线职工未参加社会保险，安排怀孕7个月以上的女职工上夜班，且拒不配合工会调查。"
              "根据最高人民检察院、中华全国总工会关于协同推进“一函两书”工作的通知，移送贵院依法处理，"
              "本会将同步制发劳动法律监督意见书。"),
    )
    if referral.matter_id != matter.pk:
        raise DemoError(f"{matter.matter_no}: the referral belongs to another matter")
    return matter


def builders_campaign(d: _Demo) -> SupervisionMatter:
    """6. One 提示函 to the construction companies of Hanbin, co-issued with the HR bureau."""
    builders = [employer_ensure(spec) for spec in BUILDERS]
    issued = d.ago(9)
    upcoming = [spring_festival(y) for y in (issued.year, issued.year + 1)]
    festival = next((sf for sf in upcoming if 0 <= (sf - issued).days <= 100), None)
    if festival is not None:
        subject = "元旦春节前保障农民工工资按时足额支付"
        facts = (f"{festival.year}年元旦、春节临近，建筑领域工程款结算和农民工返乡集中，欠薪风险上升。"
                 "为配合全区根治欠薪冬季专项行动，本会与汉滨区人力资源和社会保障局向全区建筑施工企业联合集中提示。")
        requirements_first = f"（一）全面排查在建项目工资支付情况，确保{festival.year}年春节前足额支付农民工工资；"
    else:
        subject = "保障农民工工资按时足额支付"
        facts = ("近期12351热线反映建筑工地拖欠农民工工资的来电有所增加，部分项目未按规定开设农民工工资专用账户、"
                 "未落实实名制管理。本会与汉滨区人力资源和社会保障局向全区建筑施工企业联合集中提示。")
        requirements_first = "（一）全面排查在建项目工资支付情况，按月足额支付农民工工资；"
    draft = services.reminder_campaign_draft(
        actor=d.lsup, title=TITLE_CAMPAIGN, county=HB, industry=Industry.CONSTRUCTION, subject=subject,
        facts=facts,
        legal_basis=("《保障农民工工资支付条例》第三条、第二十六条、第二十八条、第三十条；"
                     f"{LABOR_LAW_WAGES}"),
        requirements=(requirements_first
                      + "（二）施工总承包单位按规定开设并使用农民工工资专用账户，落实实名制管理和按月足额支付；"
                        "（三）分包单位拖欠农民工工资的，施工总承包单位依法先行清偿；"
                        "（四）在施工现场醒目位置设立维权信息告示牌，公示12351职工服务热线。"),
        request_reply=True, employers=builders, co_issuers=[d.hrss], issued_on=issued,
    )
    services.letter_sign_off(actor=d.chair, draft=draft, approve=True, issued_on=issued)
    draft.refresh_from_db()
    letter = draft.letter
    matter = letter.matter
    recipients = {r.employer_id: r for r in letter.recipients.all()}
    by_builder = [recipients[b.pk] for b in builders]
    for i, recipient in enumerate(by_builder[:4], start=1):
        d.deliver(recipient, on=issued, method=DeliveryMethod.MEETING,
                  receipt=f"全区建筑领域根治欠薪工作推进会签到表第{i + 2}号")
    d.deliver(by_builder[4], on=d.ago(8), method=DeliveryMethod.POST, receipt="EMS 1180 2437 0925 6 妥投，签收人：曹金山")
    d.reply(by_builder[0], reply_kind=ReplyKind.ACCEPTED, replied_on=d.ago(5),
            reply_content="公司3个在建项目均已开设农民工工资专用账户，实行实名制考勤，工资均按月发放到个人账户，自查未发现拖欠。",
            verification=Verification.RECTIFIED, verified_on=d.ago(3),
            verification_note="抽查恒口示范区安置房项目专用账户流水和考勤表，情况属实。")
    d.reply(by_builder[1], reply_kind=ReplyKind.PARTIAL, replied_on=d.ago(3),
            reply_content="滨江大道项目已补开工资专用账户；另有2个项目的分包单位尚未落实实名制考勤，正在整改。",
            verification=Verification.PARTIAL, verified_on=d.ago(2),
            verification_note="2个项目尚未落实实名制考勤，春节前再次回访。")
    return matter


TITLE_FESTIVAL_FACTORY = "欣悦毛绒玩具社区工厂春节前工资支付风险"
TITLE_COACH = "汉江城乡客运公司驾驶员超时加班和未缴社会保险"
TITLE_SUPERMARKET = "惠民佳连锁超市节假日加班工资和年休假问题"
TITLE_CASE_CLUE = "智联电子社区工厂按产量扣发工资（调解中发现）"
TITLE_TEA = "秦巴硒谷茶业未缴社会保险和女职工夜班问题"
TITLE_CAMPAIGN = "汉滨区建筑领域保障农民工工资支付集中提示"


@dataclass(frozen=True)
class Plan:
    title: str
    build: Callable[[_Demo], SupervisionMatter]
    state: str  # the status the matter rests in
    starts: Callable[[_Demo], datetime.date]  # the first date of its story (kept in step with `build`)


# Built oldest story first, so that matter and letter numbers follow the dates.
PLANS: tuple[Plan, ...] = (
    Plan(TITLE_FESTIVAL_FACTORY, festival_factory, MatterStatus.CLOSED_RECTIFIED, lambda d: festival_dates(d)[1]),
    Plan(TITLE_COACH, coach_ladder, MatterStatus.DEPT_FILED, lambda d: d.ago(78)),
    Plan(TITLE_SUPERMARKET, supermarket_opinion, MatterStatus.OPINION_ISSUED, lambda d: d.ago(21)),
    Plan(TITLE_CAMPAIGN, builders_campaign, MatterStatus.REMINDER_ISSUED, lambda d: d.ago(9)),
    Plan(TITLE_TEA, tea_referral, MatterStatus.INVESTIGATING, lambda d: d.ago(6)),
    Plan(TITLE_CASE_CLUE, case_clue, MatterStatus.CLUE_FOUND, lambda d: d.ago(0)),
)


def _demo_users(agencies) -> dict:
    """The four logins the matters are driven with; made by the cases demo (made here if missing)."""
    needed = (LSUP, LSUP2, INSP, PROCUR, CHAIR)
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=needed).select_related("staff")}
    if len(users) < len(needed):
        from mediation.cases.demo import demo_users_ensure

        demo_users_ensure(agencies)
        users = {u.username: u for u in User.objects.filter(username__in=needed).select_related("staff")}
    return users


def existing_demo_matters() -> list[SupervisionMatter]:
    return list(SupervisionMatter.objects.filter(title__in=[p.title for p in PLANS]))


def load_demo(*, today: datetime.date | None = None) -> str:
    """Create the demo matters that are missing, in one transaction; a summary for the command."""
    started = time.monotonic()
    with transaction.atomic():
        existing = {m.title for m in existing_demo_matters()}
        missing = [p for p in PLANS if p.title not in existing]
        if not missing:
            return f"一函两书演示事项已存在（{len(existing)} 件），未作改动。"
        agencies = agencies_ensure_ankang()
        demo = _Demo(agencies=agencies, users=_demo_users(agencies), today=today or timezone.localdate())
        states: Counter = Counter()
        for plan in sorted(missing, key=lambda p: p.starts(demo)):
            matter = plan.build(demo)
            matter.refresh_from_db()
            if matter.status != plan.state:
                raise DemoError(f"{plan.title}: ended in {matter.status}, expected {plan.state}")
            states[matter.status] += 1
    seconds = time.monotonic() - started
    detail = "，".join(f"{MatterStatus(s).label} {n}" for s, n in sorted(states.items()))
    message = f"已创建一函两书演示事项 {sum(states.values())} 件（{detail}），用时 {seconds:.1f} 秒。"
    if existing:
        message += f"另有 {len(existing)} 件已存在，未作改动。"
    return message
