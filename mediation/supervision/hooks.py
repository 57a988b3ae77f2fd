"""What the supervision pages need from the flows above them; filled by
`WorkflowsConfig.ready()`.

mediation.supervision may not import workflows (see mediation/lib/hooks.py).
"""

from mediation.lib.hooks import Hook

# matter_open(*, actor, title, source, clue, employer, source_case, source_ref) -> SupervisionMatter
matter_open = Hook("supervision.matter_open", "workflows")
# referral_open(*, actor, matter, agency, sent_on, grounds, note) -> the referral, its flow started
referral_open = Hook("supervision.referral_open", "workflows")
# case_open(*, actor, agency, **registration) -> Case: register a case and start its flow
case_open = Hook("supervision.case_open", "workflows")
# user_may_act(user, task) -> bool
user_may_act = Hook("supervision.user_may_act", "workflows")
