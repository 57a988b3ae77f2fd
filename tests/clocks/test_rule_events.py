"""The rule table drives the clocks (issue 8 A2): every event a rule names is a procedure event
that some step emits; services and flows name events, never rule codes; the admin shows what
starts and stops each rule; and an event really moves the clocks its rules name."""

import ast
import datetime
import pathlib
import re

import pytest
from django.core.exceptions import ValidationError

from mediation.cases.models import ReferralKind
from mediation.clocks import services
from mediation.clocks.events import Event
from mediation.clocks.models import DeadlineRule
from tests.factories.clocks import bare_case

ROOT = pathlib.Path(__file__).resolve().parents[2]
# Where the steps live: they emit events; the flows hang clocks on tasks by event.
STEP_MODULES = sorted([*ROOT.glob("mediation/*/services.py"), *ROOT.glob("mediation/*/steps.py")])
FLOW_MODULES = sorted(ROOT.glob("workflows/*.py"))


def emitted_by_steps() -> dict[str, set[str]]:
    """{event: {module, …}} for every Event member a step module names, and every
    `referral_event(kind, "sent"|"decided")` it calls (for every referral kind)."""
    found: dict[str, set[str]] = {}
    for path in STEP_MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Event":
                names.add(Event[node.attr].value)
            elif (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "referral_event"
                  and isinstance(node.args[1], ast.Constant)):
                names |= {f"referral.{kind.lower()}.{node.args[1].value}" for kind in ReferralKind.values}
        for name in names:
            found.setdefault(name, set()).add(path.relative_to(ROOT).as_posix())
    return found


def test_every_event_a_rule_names_is_emitted_by_some_step(db):
    emitted = emitted_by_steps()
    orphans = []
    for rule in DeadlineRule.objects.current().order_by("code", "locality"):
        for field, names in rule.events().items():
            for name in names:
                if name not in Event.values:
                    orphans.append(f"{rule.code}.{field}: {name!r} is not a procedure event")
                elif name not in emitted:
                    orphans.append(f"{rule.code}.{field}: {name!r} is emitted by no step")
    assert not orphans, "\n".join(orphans)


def test_rules_that_run_during_a_case_have_a_start_and_an_end(db):
    """A clock that starts must be able to end: a rule with a start event names something that stops or waives it."""
    endless = [r.code for r in DeadlineRule.objects.current() if r.starts_on and not (r.stops_on or r.waived_on)]
    assert not endless


@pytest.mark.parametrize("path", [*STEP_MODULES, *FLOW_MODULES], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_services_and_flows_name_no_rule_code(path):
    """Which clock a step moves is data on the rules: no "D3" literal in a step or a flow."""
    literals = [(node.lineno, node.value) for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(node, ast.Constant) and isinstance(node.value, str)
                and re.fullmatch(r"D\d{1,2}[a-z]?", node.value)]
    assert not literals, literals


def test_a_rule_naming_an_unknown_event_is_refused(db):
    rule = DeadlineRule.objects.current().get(code="D20", locality="")
    rule.stops_on = [*rule.stops_on, "agreement.typo"]
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert "stops_on" in refused.value.message_dict


def test_the_admin_shows_what_starts_and_stops_every_rule(admin_client, db):
    page = admin_client.get("/admin/clocks/deadlinerule/").content.decode()
    d20 = page[page.index(">D20<"):]
    d20 = d20[:d20.index("</tr>")]
    assert "调解协议生效" in d20  # starts on agreement.effective
    assert "申请司法确认" in d20  # stopped by the application
    assert "双方决定不申请确认（免除）" in d20
    form = admin_client.get(f"/admin/clocks/deadlinerule/{DeadlineRule.objects.current().get(code='D3', locality='').pk}/change/")
    html = form.content.decode()
    box = re.search(r'<input[^>]*name="stops_on"[^>]*value="agreement.effective"[^>]*>', html).group(0)
    assert "checked" in box  # D3 is stopped by an effective agreement
    other = re.search(r'<input[^>]*name="stops_on"[^>]*value="confirmation.skipped"[^>]*>', html).group(0)
    assert "checked" not in other


def test_an_event_moves_the_clocks_its_rules_name(people, ankang):
    """agreement.effective stops D3 (met), waives D1 and starts D20 and D21 — because the rules say so;
    a county's own version of D21 that no longer starts on it is honoured for that county."""
    union = ankang["union:610902"]
    case = bare_case(union, people["intake"])
    day = datetime.date(2026, 3, 2)
    services.event_emit(Event.CASE_RECEIVED, subject=case, on=day, actor=None)
    services.event_emit(Event.CASE_ACCEPTED, subject=case, on=day, actor=None)
    assert set(case.clocks.values_list("rule_code", "status")) == {("D1", "running"), ("D2", "met"),
                                                                    ("D3", "running")}
    local = DeadlineRule.objects.current().get(code="D21", locality="")
    local.pk, local.locality, local.starts_on = None, union.county, ""
    local.save()

    started = services.event_emit(Event.AGREEMENT_EFFECTIVE, subject=case, on=day + datetime.timedelta(days=5),
                                  actor=None)

    assert [c.rule_code for c in started] == ["D20"]
    assert dict(case.clocks.values_list("rule_code", "status")) == {
        "D1": "waived", "D2": "met", "D3": "met", "D20": "running"}
    # 30 calendar days from 2026-03-07 (the day of the event does not count): day 30 is 2026-04-06, inside
    # the 清明 holiday (4月4日至6日放假, 国办发明电〔2025〕7号), so the last day moves to Tuesday 2026-04-07.
    assert case.clocks.get(rule_code="D20").due_on == datetime.date(2026, 4, 7)


def test_a_running_clock_ends_by_the_rule_version_it_started_with(people, ankang):
    """Rules are versioned: a clock keeps its version. A new version of D2 that no longer stops on
    case.accepted does not strand the clock started under the old one."""
    case = bare_case(ankang["union:610902"], people["intake"])
    day = datetime.date(2026, 3, 2)
    services.event_emit(Event.CASE_RECEIVED, subject=case, on=day, actor=None)
    rule = DeadlineRule.objects.current().get(code="D2", locality="")
    rule.stops_on = [e for e in rule.stops_on if e != Event.CASE_ACCEPTED]
    services.rule_save_version(rule=rule)

    services.event_emit(Event.CASE_ACCEPTED, subject=case, on=day, actor=None)

    d2 = case.clocks.get(rule_code="D2")
    assert (d2.status, d2.rule.version) == ("met", 1)


def test_an_event_on_one_referral_leaves_its_siblings_clocks_alone(people, ankang):
    """A decision on the second arbitration referral does not stop the first one's D13."""
    from tests.factories.statistics import referral

    case = bare_case(ankang["union:610902"], people["intake"])
    arb = ankang["arbitration:610902"]
    first, second = (referral(case, arb, sent_on=datetime.date(2026, 3, 2)) for _ in range(2))
    services.event_emit(Event.ARBITRATION_RECEIVED, subject=first, on=datetime.date(2026, 3, 2), actor=None)
    services.event_emit(Event.ARBITRATION_REFERRAL_DECIDED, subject=second, on=datetime.date(2026, 3, 3), actor=None)
    assert case.clocks.get(rule_code="D13").status == "running"
