"""Importing typical cases from JSON and CSV: validate everything first, report rows, stay idempotent."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from search.importing import import_typical_cases
from search.models import PartnerAgency, TypicalCase, TypicalCaseStatus
from search.selectors import search_typical_cases

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data" / "typical_cases.json"
RECORDS = json.loads(DATA.read_text(encoding="utf-8"))
CSV_HEADER = "title,county,year,dispute_type,agencies,channel,outcome,amount_yuan,workers_count,summary,handling,significance"


def as_json(records) -> bytes:
    return json.dumps(records, ensure_ascii=False, indent=2).encode()


def record_lines(content: bytes) -> list[int]:
    """The line on which each record of an indent=2 JSON array starts."""
    return [i + 1 for i, line in enumerate(content.decode().splitlines()) if line == "  {"]


def csv_row(r) -> str:
    return ",".join([r["title"], r["county"], str(r["year"]), r["dispute_type"], "、".join(r["agencies"]),
                     r["channel"], r["outcome"], str(r["amount_yuan"]), str(r["workers_count"]),
                     r["summary"].replace(",", "，"), r["handling"].replace(",", "，"),
                     r["significance"].replace(",", "，")])


def test_the_shared_data_file_imports_published_and_searchable(people, on_commit):
    with on_commit():
        report = import_typical_cases(DATA.read_bytes(), "typical_cases.json")
    assert report.imported and report.errors == [] and len(report.created) == 30
    first = TypicalCase.objects.get(title=RECORDS[0]["title"])
    assert first.status == TypicalCaseStatus.PUBLISHED and first.published_at
    assert first.county == "610902" and first.dispute_type == "WAGES"
    assert first.agencies == [PartnerAgency.UNION, PartnerAgency.INSPECTION, PartnerAgency.COURT]
    assert first.outcome == "SUCCESS_JUDICIAL_CONFIRMED" and first.channel == "HOTLINE_12351"
    assert first.versions.get().action == "import"
    result = search_typical_cases(user=people["court"], q="司法确认")
    assert result.count >= 6


def test_importing_the_same_file_twice_changes_nothing():
    import_typical_cases(DATA.read_bytes(), "typical_cases.json")
    before = list(TypicalCase.objects.order_by("pk").values_list("pk", "version", "updated_at"))
    report = import_typical_cases(DATA.read_bytes(), "typical_cases.json")
    assert report.imported and report.created == [] and report.existing == 30
    assert list(TypicalCase.objects.order_by("pk").values_list("pk", "version", "updated_at")) == before


def bad_file():
    records = [dict(r) for r in RECORDS[:5]]
    del records[1]["summary"]                    # a missing field
    records[2]["year"] = "20x5"                  # a bad year
    records.append(dict(records[0]))             # a duplicate row
    return records


def test_row_level_errors_and_nothing_imported():
    content = as_json(bad_file())
    lines = record_lines(content)
    report = import_typical_cases(content, "cases.json")
    assert not report.imported
    assert TypicalCase.objects.count() == 0
    messages = [str(e) for e in report.errors]
    assert len(messages) == 3
    # JSON records are located by number and by the line they start on.
    assert messages[0].startswith(f"第2条记录，第{lines[1]}行：[summary]") and "缺少必填字段" in messages[0]
    assert messages[1].startswith(f"第3条记录，第{lines[2]}行：[year]") and "20x5" in messages[1]
    assert messages[2].startswith(f"第6条记录，第{lines[5]}行")
    assert f"与第1条记录，第{lines[0]}行重复" in messages[2]


def test_broken_json_reports_line_and_column():
    text = as_json(RECORDS[:3]).decode()
    broken = text.replace('"county": "汉滨区"', '"county" "汉滨区"', 1)
    report = import_typical_cases(broken.encode(), "cases.json")
    assert not report.imported and TypicalCase.objects.count() == 0
    assert len(report.errors) == 1
    line = broken[: broken.index('"county" "汉滨区"')].count("\n") + 1
    assert f"JSON格式错误（第{line}行" in str(report.errors[0])


def test_skip_invalid_imports_the_good_rows():
    report = import_typical_cases(as_json(bad_file()), "cases.json", skip_invalid=True)
    assert report.imported and len(report.created) == 3 and report.skipped_invalid == 3
    assert len(report.errors) == 3


def test_csv_import_reports_line_numbers():
    rows = [csv_row(r) for r in RECORDS[:3]]
    rows[1] = rows[1].replace(f",{RECORDS[1]['year']},", ",二〇二四,", 1)
    rows.append('"多行\n标题的案例",汉滨区,2024,欠薪,工会,来访,撤回,100,1,概况,过程,意义')
    rows.append("某案,火星县,2024,欠薪,工会、外星局,来访,撤回,-5,0,概况,过程,意义")
    content = "\n".join([CSV_HEADER, *rows]).encode("utf-8-sig")
    report = import_typical_cases(content, "cases.csv")
    assert not report.imported and TypicalCase.objects.count() == 0
    messages = [str(e) for e in report.errors]
    assert messages[0].startswith("第3行：[year]")
    # The multi-line record starts on line 5 and is valid; the bad one starts on line 7.
    assert {m.split("：[")[1].split("]")[0] for m in messages[1:]} == {"county", "agencies", "amount_yuan",
                                                                       "workers_count"}
    assert all(m.startswith("第7行") for m in messages[1:])


def test_csv_with_missing_columns_and_pii_are_refused():
    report = import_typical_cases("title,county\n某案,汉滨区\n".encode(), "cases.csv")
    assert "CSV表头缺少列" in str(report.errors[0])
    record = dict(RECORDS[0], summary="申请人电话13912345678。")
    report = import_typical_cases(as_json([record]), "cases.json")
    assert "电话号码" in str(report.errors[0])


def test_management_command(tmp_path):
    good = tmp_path / "cases.json"
    good.write_bytes(DATA.read_bytes())
    out = io.StringIO()
    call_command("import_typical_cases", str(good), stdout=out)
    assert "新导入并发布 30 条" in out.getvalue()
    bad = tmp_path / "bad.json"
    bad.write_bytes(as_json([dict(r, title=r["title"] + "（新）") for r in bad_file()]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_typical_cases", str(bad), stdout=io.StringIO(), stderr=err)
    assert "第3条记录" in err.getvalue() and TypicalCase.objects.count() == 30
    call_command("import_typical_cases", str(bad), "--skip-invalid", stdout=io.StringIO(), stderr=io.StringIO())
    assert TypicalCase.objects.count() == 33


def test_admin_upload(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.test", "pass-Concord-2026")
    client.force_login(admin)
    url = reverse("admin:search_typicalcase_import")
    assert client.get(url).status_code == 200
    content = as_json(bad_file())
    response = client.post(url, {"file": _upload("bad.json", content)})
    assert response.status_code == 200
    assert f"第3条记录，第{record_lines(content)[2]}行" in response.content.decode()
    assert TypicalCase.objects.count() == 0
    response = client.post(url, {"file": _upload("cases.json", DATA.read_bytes())})
    assert response.status_code == 302 and TypicalCase.objects.count() == 30


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/json")


# --- topics (专题) and dispute-type labels that are really topics --------------------------------


def topical_records():
    records = [dict(r) for r in RECORDS[:4]]
    records[0]["topics"] = ["农民工", "根治欠薪"]               # topics of an ordinary row
    records[1]["dispute_type"] = "劳务派遣"                      # a topic used as the dispute type
    records[2]["dispute_type"] = "女职工"                        # an alias of 女职工权益
    records[2]["topics"] = ["集体争议"]
    return records


def test_topic_labels_are_mapped_and_reported_per_row(people, on_commit):
    content = as_json(topical_records())
    lines = record_lines(content)
    with on_commit():
        report = import_typical_cases(content, "cases.json")
    assert report.imported and report.errors == [] and len(report.created) == 4
    assert [str(m) for m in report.mappings] == [
        f"第2条记录，第{lines[1]}行：争议类型“劳务派遣”按专题“劳务派遣”导入，主要争议类型记为“劳动合同”",
        f"第3条记录，第{lines[2]}行：争议类型“女职工”按专题“女职工权益”导入，主要争议类型记为“劳动合同”",
    ]
    second = TypicalCase.objects.get(title=RECORDS[1]["title"])
    assert second.dispute_type == "CONTRACT" and second.topic_names == ["劳务派遣"]
    third = TypicalCase.objects.get(title=RECORDS[2]["title"])
    assert sorted(third.topic_names) == ["女职工权益", "集体争议"]
    assert sorted(TypicalCase.objects.get(title=RECORDS[0]["title"]).topic_names) == ["农民工", "根治欠薪"]
    # the topics are facets of the search at once
    facets = search_typical_cases(user=people["court"], q="").facets["topic"]
    assert {b["value"]: b["count"] for b in facets}["劳务派遣"] == 1


def test_unknown_labels_still_refuse_the_file_with_their_line():
    records = topical_records()
    records[3]["dispute_type"] = "工资纠纷"                      # neither a type nor a topic
    records[0]["topics"] = ["农民工", "不存在的专题"]
    content = as_json(records)
    lines = record_lines(content)
    report = import_typical_cases(content, "cases.json")
    assert not report.imported and TypicalCase.objects.count() == 0
    messages = [str(e) for e in report.errors]
    assert messages == [
        f"第1条记录，第{lines[0]}行：[topics] 无法识别的专题：不存在的专题",
        f"第4条记录，第{lines[3]}行：[dispute_type] 无法识别的值：工资纠纷",
    ]


def test_a_topic_that_implies_no_primary_type_asks_for_one():
    records = [dict(RECORDS[0], dispute_type="集体争议")]
    report = import_typical_cases(as_json(records), "cases.json")
    assert not report.imported
    assert "“集体争议”是专题，不能推断主要争议类型" in str(report.errors[0])


def test_csv_topics_and_mapping_on_the_command_line(tmp_path):
    r0, r1 = RECORDS[0], dict(RECORDS[1], dispute_type="新就业形态")
    csv_file = tmp_path / "cases.csv"
    csv_file.write_text("\n".join([CSV_HEADER + ",topics", csv_row(r0) + ",农民工、根治欠薪", csv_row(r1) + ","]) + "\n",
                        encoding="utf-8")
    out = io.StringIO()
    call_command("import_typical_cases", str(csv_file), stdout=out)
    assert "第3行：争议类型“新就业形态”按专题“新就业形态”导入，主要争议类型记为“劳动合同”" in out.getvalue()
    assert sorted(TypicalCase.objects.get(title=r0["title"]).topic_names) == ["农民工", "根治欠薪"]


def test_the_admin_import_page_lists_the_mappings(client, people):
    from django.contrib.auth.models import Permission

    admin_user = people["supervisor"]
    admin_user.is_staff = True
    admin_user.save()
    admin_user.user_permissions.add(Permission.objects.get(codename="add_typicalcase"))
    client.force_login(admin_user)
    upload = io.BytesIO(as_json(topical_records()))
    upload.name = "cases.json"
    response = client.post(reverse("admin:search_typicalcase_import"), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="import-mappings"' in html
    assert "争议类型“劳务派遣”按专题“劳务派遣”导入" in html
