"""The annual report: .xlsx read back with openpyxl equals the selector (and so the page); the .docx
and the PDF contain the same figures."""

import io
import re
import subprocess

import pytest
from docx import Document
from openpyxl import load_workbook

from mediation.statistics import selectors as st
from mediation.statistics.report import REPORT_COLUMNS
from tests.statistics.conftest import HB

pytestmark = pytest.mark.django_db


def download(client, user, **params):
    client.force_login(user)
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = client.get(f"/statistics/report/?{query}")
    assert response.status_code == 200, response.content[:300]
    return response


def page_figures(user, **params):
    return st.cockpit(user, st.filters_parse(user, {"year": "2026", **params}))


def test_xlsx_equals_the_page_for_the_city(client, dataset, people):
    response = download(client, people["supervisor"], year=2026, format="xlsx")
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    wb = load_workbook(io.BytesIO(response.content))
    page = page_figures(people["supervisor"])
    main = wb["主要指标"]
    assert main["A1"].value == "安康市2026年劳动争议调解工作统计表"
    rows = {r[0]: r[1:] for r in main.iter_rows(min_row=3, values_only=True)}
    for key, label, kind in REPORT_COLUMNS:
        this_year, last_year, change = rows[label]
        expected, expected_last = page["current"][key], page["previous"][key]
        if kind == "money":
            assert this_year == pytest.approx(float(expected)) and last_year == pytest.approx(
                float(expected_last)
            )
        else:
            assert (this_year, last_year) == (expected, expected_last), label
        assert change == page["change"].get(key, st.change(expected, expected_last)), label
    assert rows["受理案件（件）"] == (7, 2, 2.5)
    assert rows["追回金额（元）"][:2] == (432000.0, 10000.0)
    assert rows["其中农民工（人）"][:2] == (43, 3)

    county = wb["分县区"]
    lines = [r for r in county.iter_rows(min_row=3, values_only=True)]
    by_scope = {(r[0], r[1]): r[2:] for r in lines}
    hanbin = page_figures(people["supervisor"], county=HB)["current"]
    assert by_scope[("汉滨区", "本年")][0] == hanbin["received"] == 5
    assert by_scope[("汉滨区", "上年")][0] == 2
    assert by_scope[("汉滨区", "同比")][0] == 1.5
    assert by_scope[("汉阴县", "本年")][:3] == (2, 1, 1)
    assert by_scope[("合计", "本年")][0] == 7
    assert by_scope[("合计", "本年")][5] == pytest.approx(432000.0)


def test_xlsx_for_a_county_head_is_their_county(client, dataset, people):
    response = download(client, people["head"], year=2026, format="xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    rows = {r[0]: r[1:] for r in wb["主要指标"].iter_rows(min_row=3, values_only=True)}
    assert rows["受理案件（件）"][:2] == (5, 2)
    assert {r[0] for r in wb["分县区"].iter_rows(min_row=3, values_only=True)} == {"汉滨区", "合计"}
    client.force_login(people["head"])
    refused = client.get("/statistics/report/?year=2026&format=xlsx&county=610921", follow=True)
    assert "县区无效或不在您的查看范围内。" in refused.content.decode()


def test_report_for_a_county_chosen_by_the_city(client, dataset, people):
    response = download(client, people["supervisor"], year=2026, format="xlsx", county=HB)
    wb = load_workbook(io.BytesIO(response.content))
    assert wb["主要指标"]["A1"].value == "安康市汉滨区2026年劳动争议调解工作统计表"
    rows = {r[0]: r[1:] for r in wb["主要指标"].iter_rows(min_row=3, values_only=True)}
    assert rows["受理案件（件）"][:2] == (5, 2)


def test_docx_contains_the_figures_on_a4(client, dataset, people):
    response = download(client, people["supervisor"], year=2026, format="docx")
    document = Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "安康市2026年劳动争议调解工作统计表" in text
    summary = {
        row.cells[0].text: [c.text for c in row.cells[1:]] for row in document.tables[0].rows
    }
    assert summary["受理案件（件）"] == ["7", "2", "+250.0%"]
    assert summary["追回金额（元）"] == ["432,000.00", "10,000.00", "+4220.0%"]
    assert summary["调解成功率"] == ["66.7%", "50.0%", "+33.3%"]
    assert summary["其中新就业形态（人）"] == ["3", "0", "—"]
    counties = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert [
        "汉滨区",
        "本年",
        "5",
        "3",
        "1",
        "50.0%",
        "416,000.00",
        "312,000.00",
        "43",
        "31",
        "3",
        "2",
        "50.0%",
        "1",
    ] in counties


def test_pdf_contains_the_figures(client, dataset, people):
    response = download(client, people["supervisor"], year=2026, format="pdf")
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "安康市2026年劳动争议调解工作统计表" in text
    for figure in ("432,000.00", "538,000.00", "66.7%", "+250.0%", "汉阴县"):
        assert figure in text
    info = subprocess.run(
        ["pdfinfo", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "841.89 x 595.276 pts (A4)" in info  # A4 landscape
    fonts = subprocess.run(
        ["pdffonts", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert re.search(
        r"\+WenQuanYiMicroHei\S* +TrueType +\S+ +yes", fonts
    )  # the CJK font is embedded


def test_bad_format_is_refused_with_a_message(client, dataset, people):
    client.force_login(people["supervisor"])
    response = client.get("/statistics/report/?year=2026&format=csv", follow=True)
    assert "报表格式无效" in response.content.decode()
