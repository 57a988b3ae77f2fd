"""Issue 9 item 5: letter templates render in a sandbox and cannot leak.

Payloads that used to print password hashes, API tokens and other cases' ID numbers are refused
at save with their line number; forced into the database past the check, they print nothing."""

import datetime
import random
import re

import pytest
from django.core.exceptions import ValidationError
from knox.models import AuthToken

from mediation.lib.documents import sandbox
from mediation.supervision import documents, services
from mediation.supervision.models import Conclusion, LetterKind, LetterTemplate
from tests.factories.supervision import letter_kwargs, signed
from tests.supervision.test_documents import pdf_text

pytestmark = pytest.mark.django_db

D = datetime.date

# (payload, what it tried to reach)
PAYLOADS = [
    "{{ user.password }}",
    "{{ request.user.auth_token.key }}",
    "{{ letter.issued_by.password }}",
    "{{ letter.issued_by.auth_token.key }}",
    "{{ employer.cases.all }}",
    "{{ matter.employer.case_links.all }}",
    "{% for c in employer.case_links.all %}{{ c.case.case_workers.all }}{% endfor %}",
    "{% for r in recipients %}{{ r.employer.case_links.all }}{% endfor %}",
    "{{ letter.__class__ }}",
    "{{ letter.template.source }}",
    "{% debug %}",
    '{% include "/etc/passwd" %}',
    '{% extends "base.html" %}',
    "{% load static %}",
    "{% load letters %}",
    '{% ssi "/etc/passwd" %}',
    "{% csrf_token %}",
    "{% url 'admin:index' %}",
    '{% now "Y" %}',
    "{{ recipient.name|pprint }}",
    "{{ recipients|safe }}",
    "{% filter upper %}x{% endfilter %}",
]


def risk_matter(sup):
    matter = services.matter_register(
        actor=sup["lsup"],
        title="节前工资支付风险",
        source="HOTLINE",
        clue="12351来电反映。",
        employer=sup["employer"],
    )
    services.investigation_record(
        actor=sup["lsup"],
        matter=matter,
        conducted_on=D(2026, 3, 2),
        method="电话核实",
        findings="存在延迟发放风险。",
        conclusion=Conclusion.RISK,
        investigators=[sup["lsup"], sup["lsup2"]],
    )
    matter.refresh_from_db()
    return matter


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_payload_is_refused_at_save_with_its_line(payload):
    source = f"=标题\n正文\n{payload}\n"
    with pytest.raises(ValidationError) as err:
        documents.validate_template_source(source)
    messages = err.value.message_dict["source"]
    assert any("模板第 3 行" in m for m in messages), messages


def test_admin_refuses_a_payload_and_saves_nothing(client, django_user_model):
    admin = django_user_model.objects.create_superuser(
        "root", "root@example.test", "pw-Concord-2026"
    )
    client.force_login(admin)
    template = LetterTemplate.objects.get(kind=LetterKind.REMINDER)
    original = template.source
    response = client.post(
        f"/admin/supervision/lettertemplate/{template.pk}/change/",
        {
            "kind": "REMINDER",
            "name": template.name,
            "source": "=标题\n{{ letter.doc_no }}\n\n{{ user.password }}",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "模板第 4 行：不能使用“user.password”" in body
    template.refresh_from_db()
    assert template.source == original


def test_payloads_forced_into_the_database_print_nothing_sensitive(sup, cal):
    user = sup["lsup"]
    token, raw_token = AuthToken.objects.create(user=user)
    password_hash = user.password
    source = "=提示函 {{ letter.doc_no }}\n" + "\n".join(
        # forbidden tags and "_" attributes refuse the whole render (next test); the rest print nothing
        p
        for p in PAYLOADS
        if (not p.startswith("{%") or "for " in p) and "__" not in p and "|" not in p
    )
    LetterTemplate.objects.filter(kind=LetterKind.REMINDER).update(source=source)
    letter = signed(
        actor=user,
        matter=risk_matter(sup),
        kind=LetterKind.REMINDER,
        **letter_kwargs(LetterKind.REMINDER, D(2026, 3, 2)),
    )
    text = letter.rendered_text
    assert text == f"=提示函 {letter.doc_no}"  # every payload rendered as nothing
    for secret in (
        password_hash,
        raw_token,
        token.digest,
        "pbkdf2",
        "md5$",
        "<bound method",
        "QuerySet",
        "RelatedManager",
    ):
        assert secret not in text


@pytest.mark.parametrize(
    "tag",
    ["{% debug %}", '{% include "/etc/passwd" %}', "{% load static %}", '{% ssi "/etc/passwd" %}'],
)
def test_forbidden_tags_forced_into_the_database_refuse_to_issue(sup, cal, tag):
    LetterTemplate.objects.filter(kind=LetterKind.REMINDER).update(source=f"=标题\n{tag}")
    with pytest.raises(ValidationError, match="文书模板有错误"):
        signed(
            actor=sup["lsup"],
            matter=risk_matter(sup),
            kind=LetterKind.REMINDER,
            **letter_kwargs(LetterKind.REMINDER, D(2026, 3, 2)),
        )


def test_the_output_is_plain_text_not_html(sup, cal):
    letter = signed(
        actor=sup["lsup"],
        matter=risk_matter(sup),
        kind=LetterKind.REMINDER,
        **letter_kwargs(LetterKind.REMINDER, D(2026, 3, 2), subject="\"按时\" <足额> & '支付'工资"),
    )
    assert "\"按时\" <足额> & '支付'工资" in letter.rendered_text
    assert "&quot;" not in letter.rendered_text and "&lt;" not in letter.rendered_text
    text = pdf_text(documents.letter_pdf(letter.rendered_text))
    assert '"按时"<足额>&' in text and "&quot;" not in text and "&amp;" not in text


def _shape(value):
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return None


def _covers(specimen, real):
    if isinstance(real, dict):
        return isinstance(specimen, dict) and all(
            k in specimen and _covers(specimen[k], v) for k, v in real.items()
        )
    if isinstance(real, list):
        return isinstance(specimen, list) and all(_covers(specimen[0], v) for v in real)
    return True


def test_the_real_context_is_plain_and_has_the_specimens_shape(sup, cal, monkeypatch):
    seen = {}
    original = documents.render_text

    def spy(source, context):
        seen["context"] = context
        return original(source, context)

    monkeypatch.setattr(documents, "render_text", spy)
    signed(
        actor=sup["lsup"],
        matter=risk_matter(sup),
        kind=LetterKind.REMINDER,
        **letter_kwargs(LetterKind.REMINDER, D(2026, 3, 2)),
    )
    context = seen["context"]
    sandbox.ensure_plain(context)
    assert set(context) == set(documents.LETTER_SPECIMEN)
    assert _covers(_shape(documents.LETTER_SPECIMEN), _shape(context))


def test_a_model_instance_never_reaches_a_template(sup):
    with pytest.raises(TypeError, match="not plain data"):
        sandbox.render("{{ employer }}", {"employer": sup["employer"]})


def test_the_check_never_crashes_on_malformed_input():
    """A bounded fuzz: random splices of template syntax give a ValidationError or pass, never a crash."""
    pieces = [
        "{%",
        "%}",
        "{{",
        "}}",
        "{#",
        "#}",
        "|",
        ":",
        '"',
        "'",
        " for ",
        " in ",
        " if ",
        "endif",
        "endfor",
        "with",
        "=",
        "letter",
        ".doc_no",
        "recipients",
        "x",
        "\x00",
        "\n",
        "一",
        "{% if",
        "{% for r in",
        "{% endfor %}",
        "{% endif %}",
        "|default:",
        "|cn_date",
        "|yuan:",
        "forloop.counter",
        "..",
        "_x",
        "{% with a=letter %}",
        "{% endwith %}",
        "{% comment %}",
        "{% firstof",
        "not",
        "and",
        "or",
        "==",
        ">",
        "(",
        ")",
        "%",
        "{",
        "}",
        "\\",
        "|length>",
    ]
    rng = random.Random(20261130)
    outcomes = set()
    for _ in range(600):
        source = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        try:
            documents.validate_template_source(source)
            outcomes.add("ok")
        except ValidationError as exc:
            assert all(re.search(r"模板", m) for m in exc.messages), exc.messages
            outcomes.add("refused")
    assert outcomes == {"ok", "refused"}
    for source in [
        "{% for %}",
        "{% if %}",
        "{{ }}",
        "{{ | }}",
        "{% with %}",
        "{% for a, in recipients %}",
        "{{ letter.doc_no|yuan:letter }}",
        "{% firstof %}",
        "{" * 5000 + "}" * 5000,
        "x" * 100_001,
        "{% if " + "(" * 300 + "letter" + ")" * 300 + " %}{% endif %}",
    ]:
        with pytest.raises(ValidationError):
            documents.validate_template_source(source)


def test_seeded_templates_pass_the_sandbox_check():
    for template in LetterTemplate.objects.all():
        documents.validate_template_source(template.source)
