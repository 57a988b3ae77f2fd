"""Letters as documents: numbering, templates, freezing, PDF and .docx, the admin's template check."""

import datetime
import io
import re
import subprocess

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from docx import Document

from mediation.supervision import documents, services
from mediation.supervision.models import Conclusion, IssuingOffice, LetterKind, LetterTemplate
from tests.factories.parties import staff_user
from tests.factories.supervision import letter_kwargs, signed

pytestmark = pytest.mark.django_db

D = datetime.date


def pdf_text(content: bytes) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True)
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def risk_matter(sup):
    matter = services.matter_register(actor=sup["lsup"], title="节前工资支付风险", source="HOTLINE",
                                      clue="12351来电反映。", employer=sup["employer"])
    services.investigation_record(actor=sup["lsup"], matter=matter, conducted_on=D(2026, 3, 2), method="电话核实",
                                  findings="存在延迟发放风险。", conclusion=Conclusion.RISK,
                                  investigators=[sup["lsup"], sup["lsup2"]])
    matter.refresh_from_db()
    return matter


ISSUE_DAY = D(2026, 3, 2)


def reminder(sup, on=ISSUE_DAY):
    return signed(actor=sup["lsup"], matter=risk_matter(sup), kind=LetterKind.REMINDER,
                                 **letter_kwargs(LetterKind.REMINDER, on))


def test_numbers_are_per_type_per_year_and_gap_free(ankang, sup, cal):
    first, second = reminder(sup), reminder(sup)
    assert (first.doc_no, second.doc_no) == ("汉滨工监提〔2026〕1号", "汉滨工监提〔2026〕2号")
    cal.to(D(2027, 1, 4))
    assert reminder(sup, on=D(2027, 1, 4)).doc_no == "汉滨工监提〔2027〕1号"


def test_prefix_is_configurable_per_issuing_agency(ankang, sup, cal):
    IssuingOffice.objects.create(agency=ankang["union:610902"], doc_prefix="安汉工监", signatory="张主任",
                                 contact_person="刘某", contact_phone="0915-3212351")
    letter = reminder(sup)
    assert letter.doc_no == "安汉工监提〔2026〕1号"
    assert "联系人：刘某" in letter.rendered_text and "0915-3212351" in letter.rendered_text


def test_city_federation_uses_the_city_prefix(ankang, cal):
    from tests.factories.supervision import employer

    a = staff_user(ankang["union:city"], "LABOR_SUPERVISOR", username="city_lsup")
    b = staff_user(ankang["union:city"], "LABOR_SUPERVISOR", username="city_lsup2")
    matter = services.matter_register(actor=a, title="市级排查", source="SCREENING", clue="…", employer=employer())
    services.investigation_record(actor=a, matter=matter, conducted_on=D(2026, 3, 2), method="查阅台账",
                                  findings="…", conclusion=Conclusion.RISK, investigators=[a, b])
    letter = signed(actor=a, matter=matter, kind=LetterKind.REMINDER,
                                   **letter_kwargs(LetterKind.REMINDER, D(2026, 3, 2)))
    assert letter.doc_no == "安工监提〔2026〕1号"


def test_a_changed_template_never_alters_an_issued_letter(sup, cal):
    letter = reminder(sup)
    text, digest = letter.rendered_text, letter.content_sha256
    template = LetterTemplate.objects.get(kind=LetterKind.REMINDER)
    template.source = "=新模板 {{ letter.doc_no }}\n新的正文"
    template.save()
    letter.refresh_from_db()
    assert letter.rendered_text == text and letter.content_sha256 == digest
    assert documents.sha256_text(letter.rendered_text) == digest
    assert "新的正文" not in pdf_text(documents.letter_pdf(letter.rendered_text))
    later = reminder(sup)
    assert later.rendered_text == f"=新模板 {later.doc_no}\n新的正文"


def test_pdf_holds_the_full_text_with_an_embedded_cjk_font(sup, cal):
    letter = reminder(sup)
    content = documents.letter_pdf(letter.rendered_text, title=letter.doc_no)
    assert content.startswith(b"%PDF")
    assert b"FontFile2" in content  # the TrueType font is embedded
    text = pdf_text(content)
    for needle in ("安康汉江商贸有限公司", "汉滨工监提〔2026〕1号", "工会劳动法律监督提示函", "《中华人民共和国劳动法》第五十条",
                   "立即制定工资支付计划", "2026年3月16日前", "汉滨区总工会劳动法律监督委员会", "2026年3月2日"):
        assert needle in text, needle


def test_docx_holds_the_full_text(sup, cal):
    letter = reminder(sup)
    text = docx_text(documents.letter_docx(letter.rendered_text, title=letter.doc_no))
    for needle in ("安康汉江商贸有限公司：", "汉滨工监提〔2026〕1号", "《中华人民共和国劳动法》第五十条",
                   "立即制定工资支付计划", "2026年3月16日前", "2026年3月2日"):
        assert needle in text, needle
    assert "=" not in text.splitlines()[0]  # markup is not printed


def test_missing_pdf_font_fails_with_a_clear_message(settings, sup, cal):
    settings.CONCORD_PDF_FONT = "/nonexistent/font.ttc"
    with pytest.raises(ImproperlyConfigured, match="找不到生成PDF所需的中文字体文件：/nonexistent/font.ttc"):
        documents.letter_pdf("=标题\n正文")


def test_a_template_with_a_syntax_error_is_refused_with_its_line_number():
    source = "=标题\n正文\n{% if letter.reply_due %}请回复\n"
    with pytest.raises(ValidationError) as err:
        documents.validate_template_source(source)
    assert "模板第 3 行有语法错误" in err.value.message_dict["source"][0]
    with pytest.raises(ValidationError) as err:
        documents.validate_template_source("=标题\n{{ letter.doc_no|no_such_filter }}")
    assert "模板第 2 行有语法错误" in err.value.message_dict["source"][0]
    documents.validate_template_source("=标题\n{{ letter.doc_no|cn_date }}{{ 3|cn_ordinal }}")


def test_admin_refuses_a_broken_template_and_saves_nothing(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.test", "pw-Concord-2026")
    client.force_login(admin)
    template = LetterTemplate.objects.get(kind=LetterKind.OPINION)
    original = template.source
    url = f"/admin/supervision/lettertemplate/{template.pk}/change/"
    response = client.post(url, {"kind": "OPINION", "name": template.name,
                                 "source": "=标题\n第二行\n{% for v in violations %}\n{{ v.facts }}"})
    assert response.status_code == 200
    assert "模板第 3 行有语法错误" in response.content.decode()
    template.refresh_from_db()
    assert template.source == original
    response = client.post(url, {"kind": "OPINION", "name": template.name, "source": original + "\n|（完）"})
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.source.endswith("|（完）")


def test_seeded_templates_exist_for_every_kind():
    assert set(LetterTemplate.objects.values_list("kind", flat=True)) == set(LetterKind.values)
    for t in LetterTemplate.objects.all():
        documents.validate_template_source(t.source)


def test_cn_ordinal():
    from mediation.supervision.templatetags.letters import cn_ordinal

    assert [cn_ordinal(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]
