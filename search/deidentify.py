"""De-identification of a typical case before publication (DOMAIN §2.6, §5.8).

Persons become "surname + 某" (张三 → 张某, 欧阳娜娜 → 欧阳某); employers become
"某 + industry + 公司" or keep their name (EmployerPolicy); resident ID numbers,
credit codes, phone numbers and case numbers are removed. Names come from the
source case (workers, natural-person respondents, agents, legal representatives,
mediators) plus any names the writer adds; free text can hide other names,
which is why a reviewer ticks a checklist before publication.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parties.models import Industry

from .models import EmployerPolicy

REMOVED = "（略）"

COMPOUND_SURNAMES = {
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文",
    "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "赫连", "澹台", "公冶",
}

EMPLOYER_ALIAS = {
    Industry.CONSTRUCTION: "某建筑公司",
    Industry.MANUFACTURING: "某制造公司",
    Industry.COMMUNITY_FACTORY: "某社区工厂",
    Industry.TEA_FOOD: "某食品公司",
    Industry.MINING: "某矿业公司",
    Industry.POWER: "某电力公司",
    Industry.LOGISTICS: "某物流公司",
    Industry.HOSPITALITY: "某餐饮公司",
    Industry.RESIDENT_SERVICES: "某服务公司",
    Industry.PROPERTY: "某物业公司",
    Industry.HEALTH: "某医疗机构",
    Industry.AGRICULTURE: "某合作社",
    Industry.RETAIL: "某商贸公司",
    Industry.OTHER: "某公司",
}
_EMPLOYER_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司", "合作社", "厂")

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
CREDIT_CODE = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")
PHONE = re.compile(r"(?<!\d)(?:(?:\+?86[- ]?)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
# From the bracketed year to 号: 安总调〔2025〕第0123号, （2024）陕0902民特123号.
CASE_NUMBER = re.compile(r"[〔\[［(（]\d{4}[〕\]］)）][\u4e00-\u9fff\d]{0,16}?第?\d+号")
PATTERNS = [
    ("id_number", ID_NUMBER, gettext_lazy("身份证号码")),
    ("credit_code", CREDIT_CODE, gettext_lazy("统一社会信用代码")),
    ("phone", PHONE, gettext_lazy("电话号码")),
    ("case_number", CASE_NUMBER, gettext_lazy("案号")),
]
TEXT_FIELDS = ("title", "summary", "handling", "significance", "legal_basis")


def person_alias(name: str) -> str:
    """张三 → 张某; 欧阳娜娜 → 欧阳某; a name already ending in 某 stays."""
    name = (name or "").strip()
    if not name or name.endswith("某"):
        return name
    if name[:2] in COMPOUND_SURNAMES and len(name) > 2:
        return name[:2] + "某"
    return name[0] + "某"


def employer_alias(industry: str) -> str:
    return EMPLOYER_ALIAS.get(industry, EMPLOYER_ALIAS[Industry.OTHER])


def employer_name_variants(name: str) -> list[str]:
    """The full name and, if long enough, the name without its legal-form suffix."""
    name = (name or "").strip()
    variants = [name] if name else []
    for suffix in _EMPLOYER_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 4:
            variants.append(name[: -len(suffix)])
            break
    return variants


@dataclass
class Replacement:
    kind: str
    original: str
    replacement: str
    count: int = 0


@dataclass
class Rules:
    """What to replace: persons, employers (name → alias), and the regex patterns."""

    persons: list[str] = field(default_factory=list)
    employers: dict[str, str] = field(default_factory=dict)

    def pairs(self) -> list[tuple[str, str, str]]:
        out: dict[str, tuple[str, str]] = {}
        for name, alias in self.employers.items():
            for variant in employer_name_variants(name):
                if variant and variant != alias:
                    out.setdefault(variant, ("employer", alias))
        for person in self.persons:
            person = (person or "").strip()
            alias = person_alias(person)
            if len(person) >= 2 and person != alias:
                out.setdefault(person, ("person", alias))
        # Longest first, so a company named after a person is replaced whole.
        return sorted(((k, v[0], v[1]) for k, v in out.items()), key=lambda t: len(t[0]), reverse=True)


def apply(text: str, rules: Rules, tally: dict[tuple[str, str], Replacement] | None = None) -> str:
    if not text:
        return text
    tally = tally if tally is not None else {}
    for original, kind, alias in rules.pairs():
        n = text.count(original)
        if n:
            text = text.replace(original, alias)
            tally.setdefault((kind, original), Replacement(kind, original, alias)).count += n
    for kind, pattern, _label in PATTERNS:
        def _sub(m, kind=kind):
            tally.setdefault((kind, m.group()), Replacement(kind, m.group(), REMOVED)).count += 1
            return REMOVED
        text = pattern.sub(_sub, text)
    return text


@dataclass
class Preview:
    """Exactly what publication would show, with the list of replacements made."""

    fields: dict[str, str]
    tags: list[str]
    replacements: list[Replacement]

    @property
    def digest(self) -> str:
        payload = json.dumps({"fields": self.fields, "tags": self.tags}, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:32]


def preview(values: dict, tags: list[str], rules: Rules) -> Preview:
    tally: dict[tuple[str, str], Replacement] = {}
    fields = {name: apply(values.get(name) or "", rules, tally) for name in TEXT_FIELDS}
    new_tags = [apply(t, rules, tally) for t in tags]
    return Preview(fields=fields, tags=new_tags, replacements=sorted(tally.values(), key=lambda r: (r.kind, r.original)))


def rules_for_case(case, policy: str, extra_names: list[str] | None = None) -> Rules:
    """Names taken from a mediation case file (workers, respondents, agents, mediators)."""
    persons: list[str] = list(extra_names or [])
    employers: dict[str, str] = {}
    if case is not None:
        for link in case.case_workers.select_related("worker"):
            persons.append(link.name or link.worker.name)
        for resp in case.respondents.select_related("employer"):
            if resp.person_name:
                persons.append(resp.person_name)
            if resp.employer_id:
                persons.append(resp.employer.legal_representative)
                if policy == EmployerPolicy.INDUSTRY:
                    employers[resp.employer.name] = employer_alias(resp.employer.industry)
        persons += [a.name for a in case.agents.all()]
        mediators = [case.lead_mediator] if case.lead_mediator_id else []
        mediators += list(case.assistant_mediators.all())
        for user in mediators:
            staff = getattr(user, "staff", None)
            persons.append(staff.full_name if staff else user.get_full_name())
    return Rules(persons=[p for p in persons if p], employers=employers)


def residual_findings(values: dict, tags: list[str], rules: Rules | None = None) -> list[str]:
    """What still looks identifying: an empty list means the automatic checks pass."""
    findings: list[str] = []
    texts = [values.get(name) or "" for name in TEXT_FIELDS] + list(tags)
    for _kind, pattern, label in PATTERNS:
        for text in texts:
            m = pattern.search(text)
            if m:
                findings.append(_("仍含%(label)s：%(value)s") % {"label": label, "value": m.group()})
                break
    if rules is not None:
        for original, _kind, _alias in rules.pairs():
            if any(original in text for text in texts):
                findings.append(_("仍含未处理的名称：%(name)s") % {"name": original})
    return findings
