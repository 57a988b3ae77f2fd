"""Issue 9 item 5 on the case document templates (调解案件 › 案件文书模板): they render in the
same sandbox as letter templates. The letter payloads (password hash, knox token digest,
related managers, debug, include) and the case context's own reach are refused at save with
their line number; forced into the database past the check, they print nothing or refuse to print."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from knox.models import AuthToken

from mediation.cases import document_services, paperwork
from mediation.cases.models import CaseDocumentTemplate, DocumentKind
from tests.cases.test_documents import accepted, frozen  # noqa: F401 - fixture
from tests.supervision.test_template_sandbox import PAYLOADS as LETTER_PAYLOADS

pytestmark = pytest.mark.django_db

K = DocumentKind

# What a case template could try to reach through its own context.
CASE_PAYLOADS = [
    "{{ case.case_workers.all }}",
    "{{ case.lead_mediator.password }}",
    "{{ case.events.all }}",
    "{{ issuer.user.password }}",
    "{{ issuer.user.auth_token_set.all }}",
    "{% for a in applicants %}{{ a.worker.case_links.all }}{% endfor %}",
    "{% for r in respondents %}{{ r.employer.cases.all }}{% endfor %}",
    "{{ case.__class__ }}",
    "{{ document.__dict__ }}",
]
PAYLOADS = LETTER_PAYLOADS + CASE_PAYLOADS


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_payload_is_refused_at_save_with_its_line(payload):
    with pytest.raises(ValidationError) as err:
        paperwork.validate_template_source(f"=受理通知书\n正文\n{payload}\n")
    messages = err.value.message_dict["source"]
    assert any("模板第 3 行" in m for m in messages), messages


def test_admin_refuses_a_payload_and_saves_nothing(client, django_user_model):
    admin = django_user_model.objects.create_superuser(
        "root", "root@example.test", "pw-Concord-2026"
    )
    client.force_login(admin)
    template = CaseDocumentTemplate.objects.get(kind=K.ACCEPTANCE_NOTICE)
    original = template.source
    response = client.post(
        f"/admin/cases/casedocumenttemplate/{template.pk}/change/",
        {
            "kind": K.ACCEPTANCE_NOTICE,
            "name": template.name,
            "source": "=受理通知书\n{{ case.case_no }}\n\n{{ user.password }}",
        },
    )
    assert response.status_code == 200
    assert "模板第 4 行：不能使用“user.password”" in response.content.decode()
    template.refresh_from_db()
    assert template.source == original


def test_payloads_forced_into_the_database_print_nothing_sensitive(people, ankang):
    case = accepted(people, ankang)
    mediator = people["mediator"]
    token, raw_token = AuthToken.objects.create(user=mediator)
    source = "=受理通知书 {{ case.case_no }}\n" + "\n".join(
        # forbidden tags and "_" attributes refuse the whole render (next test); the rest print nothing
        p
        for p in PAYLOADS
        if (not p.startswith("{%") or "for " in p) and "__" not in p and "|" not in p
    )
    CaseDocumentTemplate.objects.filter(kind=K.ACCEPTANCE_NOTICE).update(source=source)
    doc = document_services.document_generate(case=case, actor=mediator, kind=K.ACCEPTANCE_NOTICE)
    assert doc.rendered_text == f"=受理通知书 {case.case_no}"  # every payload rendered as nothing
    others = [cw.worker.id_number for cw in case.case_workers.select_related("worker")]
    for secret in (
        mediator.password,
        people["head"].password,
        raw_token,
        token.digest,
        "pbkdf2",
        "<bound method",
        "QuerySet",
        "RelatedManager",
        *others,
    ):
        assert secret not in doc.rendered_text


@pytest.mark.parametrize(
    "tag",
    [
        "{% debug %}",
        '{% include "/etc/passwd" %}',
        "{% load static %}",
        '{% ssi "/etc/passwd" %}',
        "{{ case.__class__ }}",
    ],
)
def test_forbidden_tags_forced_into_the_database_refuse_to_print(people, ankang, tag):
    case = accepted(people, ankang)
    CaseDocumentTemplate.objects.filter(kind=K.ACCEPTANCE_NOTICE).update(source=f"=标题\n{tag}")
    with pytest.raises(ValidationError):
        document_services.document_generate(
            case=case, actor=people["mediator"], kind=K.ACCEPTANCE_NOTICE
        )
    assert not case.documents.exists()


FUZZ = settings(max_examples=80, deadline=None, database=None, derandomize=True)
pieces = st.sampled_from(
    [
        "{{",
        "}}",
        "{%",
        "%}",
        "{#",
        "#}",
        " ",
        "\n",
        "|",
        ".",
        "_",
        "'",
        '"',
        ":",
        "case",
        "case_no",
        "for",
        "endfor",
        "if",
        "endif",
        "in",
        "applicants",
        "a",
        "name",
        "load",
        "include",
        "debug",
        "block",
        "now",
        "with",
        "as",
        "default",
        "date",
        "yuan",
        "cn_date",
        "张三",
        "1",
        "-",
    ]
)


@FUZZ
@given(source=st.lists(pieces, max_size=25).map("".join))
def test_the_check_at_save_never_crashes(source):
    """Whatever an admin types, the check at save accepts it or says what is wrong — for case
    document templates and letter templates alike — and an accepted one renders."""
    from mediation.supervision import documents as letter_documents

    for validate in (paperwork.validate_template_source, letter_documents.validate_template_source):
        try:
            validate(source)
        except ValidationError as exc:
            assert all(m.startswith("模板") for m in exc.message_dict["source"]), exc.message_dict
    try:
        paperwork.validate_template_source(source)
    except ValidationError:
        return
    paperwork.render_text(source, paperwork.SPECIMEN)
