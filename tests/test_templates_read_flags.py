"""Templates read flags; they never re-implement a permission rule (STYLE: "Templates receive
flags"). The rules live in mediation/cases/permissions.py, mediation/supervision/permissions.py
and search/permissions.py; views and context processors hand their answers to the templates.

A role check is flagged anywhere in a template tag or variable (`has_role`, `is_superuser`,
`is_staff`, `perms.`, `.roles`); an attribute of the user's staff or agency is flagged in a
condition (`{% if %}`, `{% elif %}`, `{% with %}`), where it would decide what someone may see
— printing `{{ e.actor.staff.full_name }}` is fine, `{% if user.staff.agency.is_union %}` is not.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"

COMMENTS = re.compile(r"\{#.*?#\}|\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}", re.S)
TAG = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}", re.S)
VARIABLE = re.compile(r"\{\{(.*?)\}\}", re.S)

# A role or permission check, wherever it is written.
ROLE_CHECKS = re.compile(r"\bhas_role\b|\bis_superuser\b|\bis_staff\b|\bperms\.|\.roles\b|\bstaff\.roles\b")
# Who the user is, where it decides what is shown.
WHO_IN_CONDITIONS = re.compile(
    r"\.staff\.|\bcurrent_staff\.|\buser\.staff\b|\buser\.groups\b|\.is_union\b|\.is_city\b|\bintake_family\b"
    r"|\bagency\.(?:kind|level|unit)\b"
)
CONDITION_TAGS = {"if", "elif", "with"}


def role_checks(source: str) -> list[str]:
    """The role checks in a template's source, as the text of the offending tags."""
    source = COMMENTS.sub("", source)
    found = []
    for match in TAG.finditer(source):
        name, body = match.group(1), match.group(2)
        if ROLE_CHECKS.search(body) or (name in CONDITION_TAGS and WHO_IN_CONDITIONS.search(body)):
            found.append(match.group(0))
    for match in VARIABLE.finditer(source):
        if ROLE_CHECKS.search(match.group(1)):
            found.append(match.group(0))
    return found


def test_no_template_checks_a_role():
    offenders = {}
    files = sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.txt"))
    assert len(files) > 50  # the scan does look at the templates
    for path in files:
        found = role_checks(path.read_text(encoding="utf-8"))
        if found:
            offenders[str(path.relative_to(TEMPLATES))] = found
    assert offenders == {}, "pass a flag from the view instead (mediation/*/permissions.py)"


@pytest.mark.parametrize("snippet", [
    "{% if user.staff.agency.is_union %}x{% endif %}",
    "{% if current_staff.agency.is_union %}x{% endif %}",
    "{% if current_staff.intake_family %}x{% endif %}",
    "{% if request.user.is_superuser %}x{% endif %}",
    "{% if perms.cases.change_case %}x{% endif %}",
    "{% if 'MEDIATOR' in user.staff.roles %}x{% endif %}",
    "{% elif staff.agency.kind == 'COURT' %}",
    "{% with head=user.staff.has_role %}{% endwith %}",
    "{{ perms.cases }}",
    "{% if not partner and matter.agency.level != 'GRASSROOTS' %}x{% endif %}",
    "{%if user.is_staff%}x{%endif%}",
])
def test_the_scan_finds_a_role_check(snippet):
    assert role_checks(snippet), snippet


@pytest.mark.parametrize("snippet", [
    "{{ e.actor.staff.full_name|default:e.actor.username }}",
    "{% if t.owner_id %}{{ t.owner.staff.full_name }}{% endif %}",
    "{% if may_extend %}x{% endif %}",
    "{% if current_staff %}{{ current_staff.agency.name }}{% endif %}",
    "{% if user.is_authenticated %}x{% endif %}",
    "{% if cw.is_union_member %}x{% endif %}",
    "{# {% if user.staff.agency.is_union %} explained, not done #}",
    "{% if e.agency %}（{{ e.agency.short_name }}）{% endif %}",
    "{% blocktranslate with who=draft.drafted_by.staff.full_name %}拟稿人：{{ who }}{% endblocktranslate %}",
    "<p>The staff.agency of a partner may not see roles.</p>",
])
def test_the_scan_leaves_display_and_flags_alone(snippet):
    assert role_checks(snippet) == []
