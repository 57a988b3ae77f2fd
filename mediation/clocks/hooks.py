"""What the clocks need from the case area above them; filled by `CasesConfig.ready()`.

mediation.clocks may not import mediation.cases (see mediation/lib/hooks.py).
"""

from mediation.lib.hooks import Hook

# record_case_event(case, *, actor, action, summary, changes) -> the case log row
record_case_event = Hook("clocks.record_case_event", "mediation.cases")
# cases_visible_to(user) -> QuerySet of the cases the user may see
cases_visible_to = Hook("clocks.cases_visible_to", "mediation.cases")
