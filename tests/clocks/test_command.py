"""`manage.py workdays info|add`: JSON on stdout; bad input → one line on stderr, exit code 2."""

import json

import pytest
from django.core.management import call_command

from mediation.clocks.management.commands.workdays import Command
from tests.factories.clocks import CalendarOverrideFactory


def run(capsys, *argv):
    """Run as `manage.py workdays …` does (run_from_argv: the real exit path)."""
    code = 0
    try:
        Command().run_from_argv(["manage.py", "workdays", *argv])
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("day,kind,holiday", [
    ("2026-02-14", "makeup_workday", "春节"),
    ("2026-02-17", "holiday", "春节"),
    ("2026-10-10", "makeup_workday", "国庆节"),
    ("2026-03-07", "weekend", None),
    ("2026-03-09", "workday", None),
])
def test_info(capsys, db, day, kind, holiday):
    code, out, err = run(capsys, "info", day, "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {"date": day, "kind": kind, "holiday": holiday, "calendar_loaded": True}


@pytest.mark.parametrize("argv,due", [
    (("2026-02-10", "3", "--unit", "working"), "2026-02-13"),
    (("2026-02-12", "3", "--unit", "working"), "2026-02-24"),
    (("2026-09-30", "3", "--unit", "working"), "2026-10-10"),
    (("2026-09-16", "15", "--unit", "calendar"), "2026-10-08"),
    (("2025-01-20", "10"), "2025-02-05"),  # calendar is the default unit
])
def test_add(capsys, db, argv, due):
    code, out, err = run(capsys, "add", *argv, "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["due"] == due and result["start"] == argv[0] and result["n"] == int(argv[1])
    assert result["unit"] == (argv[3] if len(argv) > 2 else "calendar")


@pytest.mark.parametrize("argv,message", [
    (("add", "2026-13-01", "3"), "日期无效"),
    (("add", "2026/03/01", "3"), "日期无效"),
    (("info", "tomorrow", "--json"), "日期无效"),
    (("add", "2026-03-01", "-3"), "不能为负数"),
    (("add", "2026-03-01", "three"), "期间长度无效"),
    (("add", "2026-03-01", "3", "--unit", "weeks"), "未知单位"),
    (("remove", "2026-03-01"), "未知操作"),
    ((), "未知操作"),
])
def test_bad_input_is_one_line_and_exit_code_2(capsys, db, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert message in err and err.count("\n") == 1
    assert out == ""


def test_info_on_a_year_without_data_answers_provisionally(capsys, db):
    # More in tests/clocks/test_provisional_calendar.py.
    code, out, err = run(capsys, "info", "2027-02-10", "--json")
    assert code == 0 and "2027年节假日安排未载入" in err and err.count("\n") == 1
    assert json.loads(out) == {"date": "2027-02-10", "kind": "workday", "holiday": None, "calendar_loaded": False,
                               "provisional": True}


def test_overrides_and_county_apply(capsys, db):
    CalendarOverrideFactory(date="2026-03-09", kind="holiday", name="地方节日", locality="610902")
    call_command("workdays", "info", "2026-03-09", "--json", "--county", "610902")
    assert json.loads(capsys.readouterr().out)["kind"] == "holiday"
    call_command("workdays", "info", "2026-03-09", "--json")
    assert json.loads(capsys.readouterr().out)["kind"] == "workday"


def test_plain_text_output(capsys, db):
    code, out, _err = run(capsys, "add", "2026-02-12", "3", "--unit", "working")
    assert code == 0 and out.strip() == "2026-02-12 + 3 working → 2026-02-24"
