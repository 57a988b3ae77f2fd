"""Import published typical cases from JSON (the schema of shared/data/typical_cases.json) or CSV.

The whole file is validated first. Every bad row is reported with where it is
(JSON: record number and line; CSV: line number) and why; if any row is bad,
nothing is imported unless `skip_invalid` is set. A record whose identity
(title + county + year) already exists is left alone, so importing the same
file twice changes nothing. Imported records are published.

Topics (专题): a record may carry `topics` (names or aliases of the admin's topic list).
A `dispute_type` that is not one of the six primary types but names a topic (a library
that files 劳务派遣 or 女职工权益 as a dispute type) is mapped to that topic plus the
primary type the topic implies, and the report lists every such mapping with its line;
a label that is neither still refuses the row with its line.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mediation.cases.models import MAX_AMOUNT, Channel, ClosingCode, DisputeType
from parties.models import County

from .deidentify import PATTERNS
from .models import (
    PartnerAgency,
    Topic,
    TypicalCase,
    TypicalCaseEvent,
    TypicalCaseStatus,
    TypicalCaseVersion,
)
from .tasks import queue_index

REQUIRED = ("title", "county", "year", "dispute_type", "agencies", "channel", "outcome", "amount_yuan",
            "workers_count", "summary", "handling", "significance")
OPTIONAL = ("tags", "sub_types", "legal_basis", "topics")
MIN_YEAR = 2000
_LIST_SPLIT = re.compile(r"[、;；,，|/]+")


@dataclass
class RowError:
    message: str
    line: int | None = None
    record: int | None = None  # 1-based record number (JSON)
    field: str = ""

    def where(self) -> str:
        parts = []
        if self.record is not None:
            parts.append(_("第%(n)s条记录") % {"n": self.record})
        if self.line is not None:
            parts.append(_("第%(n)s行") % {"n": self.line})
        return "，".join(parts)

    def __str__(self) -> str:
        where = self.where()
        label = f"[{self.field}] " if self.field else ""
        return f"{where}：{label}{self.message}" if where else f"{label}{self.message}"


@dataclass
class RowMapping:
    """A dispute-type label read as a topic: 劳务派遣 → 专题“劳务派遣” + 劳动合同."""

    label: str
    topic: str
    dispute_type: str  # the primary type's label
    line: int | None = None
    record: int | None = None

    def __str__(self) -> str:
        where = RowError("", line=self.line, record=self.record).where()
        text = _("争议类型“%(label)s”按专题“%(topic)s”导入，主要争议类型记为“%(type)s”") % {
            "label": self.label, "topic": self.topic, "type": self.dispute_type}
        return f"{where}：{text}" if where else text


@dataclass
class ImportReport:
    total: int = 0
    errors: list[RowError] = field(default_factory=list)
    mappings: list[RowMapping] = field(default_factory=list)
    created: list[int] = field(default_factory=list)
    existing: int = 0
    skipped_invalid: int = 0
    imported: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFileError(ValueError):
    """The file cannot be read at all (not JSON, not CSV, wrong header)."""

    def __init__(self, error: RowError):
        super().__init__(str(error))
        self.error = error


@dataclass
class _Raw:
    data: dict
    line: int | None
    record: int | None


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def read_json(text: str) -> list[_Raw]:
    """Records with the line each starts on; broken JSON → ImportFileError with line and column."""
    decoder = json.JSONDecoder()

    def skip(pos: int) -> int:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        return pos

    try:
        pos = skip(0)
        if pos >= len(text) or text[pos] != "[":
            value = json.loads(text)  # reports broken JSON; valid JSON that is not an array falls through
            raise ImportFileError(RowError(_("JSON文件应为记录数组（以“[”开头），实际为%(t)s。")
                                           % {"t": type(value).__name__}))
        out: list[_Raw] = []
        pos = skip(pos + 1)
        if pos < len(text) and text[pos] == "]":
            return out
        while True:
            start = pos
            value, pos = decoder.raw_decode(text, pos)
            out.append(_Raw(value, _line_of(text, start), len(out) + 1))
            pos = skip(pos)
            if pos < len(text) and text[pos] == ",":
                pos = skip(pos + 1)
                continue
            if pos < len(text) and text[pos] == "]":
                end = skip(pos + 1)
                if end < len(text):
                    raise json.JSONDecodeError("Extra data", text, end)
                return out
            raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
    except json.JSONDecodeError as exc:
        raise ImportFileError(RowError(
            _("JSON格式错误（第%(line)s行第%(col)s列）：%(msg)s") % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg},
            line=exc.lineno,
        )) from exc


def read_csv(text: str) -> list[_Raw]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportFileError(RowError(_("CSV表头缺少列：%(cols)s") % {"cols": "、".join(missing)}, line=1))
    reader.fieldnames = header
    out: list[_Raw] = []
    line = reader.line_num + 1  # the first record starts after the header
    try:
        for row in reader:
            if None in row:
                out.append(_Raw({"__error__": _("列数多于表头")}, line, None))
            else:
                data = {k: v for k, v in row.items()}
                for name in ("agencies", "tags", "sub_types"):
                    if data.get(name) is not None:
                        data[name] = [p.strip() for p in _LIST_SPLIT.split(data[name]) if p.strip()]
                if data.get("topics") is not None:
                    data["topics"] = [p.strip() for p in _LIST_SPLIT.split(data["topics"]) if p.strip()]
                out.append(_Raw(data, line, None))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(RowError(_("CSV格式错误：%(msg)s") % {"msg": exc}, line=reader.line_num)) from exc
    return out


def read_file(content: bytes, filename: str) -> list[_Raw]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(RowError(_("文件不是UTF-8编码。"))) from exc
    name = filename.lower()
    if name.endswith(".json"):
        return read_json(text)
    if name.endswith(".csv"):
        return read_csv(text)
    raise ImportFileError(RowError(_("只支持 .json 和 .csv 文件。")))


def _lookup(choices) -> dict[str, str]:
    out = {}
    for value, label in choices.choices:
        out[str(label)] = value
        out[str(value)] = value
    return out


_COUNTIES = _lookup(County)
_TYPES = _lookup(DisputeType)
_CHANNELS = _lookup(Channel)
_OUTCOMES = _lookup(ClosingCode)
_AGENCIES = _lookup(PartnerAgency)


def topic_lookup() -> dict[str, Topic]:
    """Name or alias → topic (enabled topics; names before aliases)."""
    out: dict[str, Topic] = {}
    topics = list(Topic.objects.filter(enabled=True))
    for topic in topics:
        out[topic.name] = topic
    for topic in topics:
        for alias in topic.alias_list:
            out.setdefault(alias, topic)
    return out


def validate_record(data: dict, topics: dict[str, Topic] | None = None) -> tuple[dict, list[tuple[str, str]]]:
    """A record → (model values, [(field, problem)]). values["topics"] are Topic rows;
    values["_mapped"] is (label, topic) when the dispute type was read as a topic."""
    topics = topics if topics is not None else {}
    if not isinstance(data, dict):
        return {}, [("", _("记录应为对象（键值对）。"))]
    if "__error__" in data:
        return {}, [("", data["__error__"])]
    problems: list[tuple[str, str]] = []
    values: dict = {}

    def text(name: str, required: bool, max_len: int | None = None) -> None:
        raw = data.get(name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required:
                problems.append((name, _("缺少必填字段")))
            values[name] = ""
            return
        if not isinstance(raw, str):
            problems.append((name, _("应为文本")))
            return
        if max_len and len(raw.strip()) > max_len:
            problems.append((name, _("超过%(n)s个字符") % {"n": max_len}))
            return
        values[name] = raw.strip()

    def choice(name: str, lookup: dict[str, str]) -> None:
        raw = data.get(name)
        if raw is None or str(raw).strip() == "":
            problems.append((name, _("缺少必填字段")))
        elif str(raw).strip() not in lookup:
            problems.append((name, _("无法识别的值：%(v)s") % {"v": raw}))
        else:
            values[name] = lookup[str(raw).strip()]

    text("title", True, 200)
    choice("county", _COUNTIES)
    year = data.get("year")
    if year is None or str(year).strip() == "":
        problems.append(("year", _("缺少必填字段")))
    elif isinstance(year, bool) or not re.fullmatch(r"\d{4}", str(year).strip()):
        problems.append(("year", _("年度应为四位数字年份，实际为“%(v)s”") % {"v": year}))
    elif not MIN_YEAR <= int(str(year).strip()) <= datetime.date.today().year + 1:
        problems.append(("year", _("年度%(v)s不在%(lo)s年至今的范围内") % {"v": year, "lo": MIN_YEAR}))
    else:
        values["year"] = int(str(year).strip())
    raw_type = str(data.get("dispute_type") or "").strip()
    mapped_topic = topics.get(raw_type) if raw_type and raw_type not in _TYPES else None
    if mapped_topic is not None:
        if mapped_topic.implied_dispute_type:
            values["dispute_type"] = mapped_topic.implied_dispute_type
            values["_mapped"] = (raw_type, mapped_topic)
        else:
            problems.append(("dispute_type", _("“%(v)s”是专题，不能推断主要争议类型，请填写欠薪、经济补偿、工伤、社保、加班费、"
                                               "劳动合同之一，并在 topics 中填写该专题") % {"v": raw_type}))
    else:
        choice("dispute_type", _TYPES)
    raw_topics = data.get("topics") or []
    if isinstance(raw_topics, str):
        raw_topics = [p.strip() for p in _LIST_SPLIT.split(raw_topics) if p.strip()]
    if not isinstance(raw_topics, list):
        problems.append(("topics", _("应为专题名称列表")))
    else:
        unknown = [str(t) for t in raw_topics if str(t).strip() not in topics]
        if unknown:
            problems.append(("topics", _("无法识别的专题：%(v)s") % {"v": "、".join(unknown)}))
        else:
            chosen = [topics[str(t).strip()] for t in raw_topics]
            if mapped_topic is not None:
                chosen.insert(0, mapped_topic)
            values["topics"] = list({t.pk: t for t in chosen}.values())
    choice("channel", _CHANNELS)
    choice("outcome", _OUTCOMES)
    agencies = data.get("agencies")
    if isinstance(agencies, str):
        agencies = [p.strip() for p in _LIST_SPLIT.split(agencies) if p.strip()]
    if not agencies:
        problems.append(("agencies", _("缺少必填字段")))
    elif not isinstance(agencies, list):
        problems.append(("agencies", _("应为机构名称列表")))
    else:
        bad = [str(a) for a in agencies if str(a).strip() not in _AGENCIES]
        if bad:
            problems.append(("agencies", _("无法识别的机构：%(v)s") % {"v": "、".join(bad)}))
        else:
            values["agencies"] = list(dict.fromkeys(_AGENCIES[str(a).strip()] for a in agencies))
    amount = data.get("amount_yuan")
    try:
        if amount is None or str(amount).strip() == "" or isinstance(amount, bool):
            raise InvalidOperation
        value = Decimal(str(amount).strip().replace(",", ""))
        if not value.is_finite() or value < 0 or value > MAX_AMOUNT:
            problems.append(("amount_yuan", _("金额应在0到%(max)s元之间") % {"max": MAX_AMOUNT}))
        else:
            values["amount_yuan"] = value.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        problems.append(("amount_yuan", _("金额应为数字，实际为“%(v)s”") % {"v": amount}))
    workers = data.get("workers_count")
    if isinstance(workers, bool) or not re.fullmatch(r"\d{1,6}", str(workers if workers is not None else "").strip()):
        problems.append(("workers_count", _("人数应为正整数，实际为“%(v)s”") % {"v": workers}))
    elif int(str(workers).strip()) < 1:
        problems.append(("workers_count", _("人数至少为1")))
    else:
        values["workers_count"] = int(str(workers).strip())
    text("summary", True)
    text("handling", True)
    text("significance", True)
    text("legal_basis", False)
    tags = data.get("tags", data.get("sub_types")) or []
    if isinstance(tags, str):
        tags = [p.strip() for p in _LIST_SPLIT.split(tags) if p.strip()]
    if not isinstance(tags, list):
        problems.append(("tags", _("应为关键词列表")))
    else:
        values["tags"] = [str(t).strip() for t in tags if str(t).strip()]
    for name in ("title", "summary", "handling", "significance", "legal_basis"):
        for _kind, pattern, label in PATTERNS:
            if values.get(name) and pattern.search(values[name]):
                problems.append((name, _("含有%(label)s，请脱敏后再导入") % {"label": label}))
                break
    return values, problems


def validate(rows: list[_Raw]) -> tuple[list[tuple[_Raw, dict]], list[RowError]]:
    valid: list[tuple[_Raw, dict]] = []
    errors: list[RowError] = []
    seen: dict[tuple, _Raw] = {}
    topics = topic_lookup()
    for raw in rows:
        values, problems = validate_record(raw.data, topics)
        for fname, message in problems:
            errors.append(RowError(message, line=raw.line, record=raw.record, field=fname))
        if problems:
            continue
        identity = (values["title"], values["county"], values["year"])
        if identity in seen:
            first = seen[identity]
            where = RowError("", line=first.line, record=first.record).where()
            errors.append(RowError(_("与%(where)s重复（标题、县区、年度相同）") % {"where": where},
                                   line=raw.line, record=raw.record))
            continue
        seen[identity] = raw
        valid.append((raw, values))
    return valid, errors


def import_typical_cases(content: bytes, filename: str, *, skip_invalid: bool = False, user=None) -> ImportReport:
    """Validate the whole file; import (published) only if it is clean or `skip_invalid`."""
    report = ImportReport()
    try:
        rows = read_file(content, filename)
    except ImportFileError as exc:
        report.errors.append(exc.error)
        return report
    report.total = len(rows)
    valid, report.errors = validate(rows)
    for raw, values in valid:
        if "_mapped" in values:
            label, topic = values["_mapped"]
            report.mappings.append(RowMapping(label=label, topic=topic.name,
                                              dispute_type=str(DisputeType(values["dispute_type"]).label),
                                              line=raw.line, record=raw.record))
    if report.errors and not skip_invalid:
        return report
    report.skipped_invalid = report.total - len(valid)
    with transaction.atomic():
        existing = set(TypicalCase.objects.filter(title__in=[v["title"] for _r, v in valid])
                       .values_list("title", "county", "year"))
        now = timezone.now()
        actor = user if getattr(user, "is_authenticated", False) else None
        staff = getattr(actor, "staff", None) if actor else None
        for _raw, values in valid:
            if (values["title"], values["county"], values["year"]) in existing:
                report.existing += 1
                continue
            values = dict(values)
            values.pop("_mapped", None)
            topics = values.pop("topics", [])
            tc = TypicalCase.objects.create(
                **values, status=TypicalCaseStatus.PUBLISHED, published_at=now, version=1,
                nominated_by=actor, reviewer=actor, agency=staff.agency if staff else None,
                checklist={},
            )
            if topics:
                tc.topics.set(topics)
            TypicalCaseVersion.objects.create(typical_case=tc, version=1, status=tc.status, snapshot=tc.snapshot(),
                                              action="import", created_by=actor)
            TypicalCaseEvent.objects.create(typical_case=tc, actor=actor, agency=staff.agency if staff else None,
                                            action="import", to_status=tc.status, summary=_("批量导入并发布"))
            report.created.append(tc.pk)
        queue_index(report.created)
    report.imported = True
    return report
