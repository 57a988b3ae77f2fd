"""Starting flows: the entry points used by views, the API, commands and demo data."""

from __future__ import annotations

from django.db import transaction

from mediation.cases.models import Case
from mediation.cases.services import case_register

from .case_flow import CaseFlow


def case_open(*, actor, agency, **kwargs) -> Case:
    """Register a case (T1/T2) and start its CaseFlow, in one transaction."""
    with transaction.atomic():
        return CaseFlow.register.run(
            register=lambda **kw: case_register(actor=actor, agency=agency, **kw), **kwargs
        )
