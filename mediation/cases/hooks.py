"""What the case pages and the API need from the flows above them; filled by
`WorkflowsConfig.ready()`.

mediation.cases may not import workflows (see mediation/lib/hooks.py).
"""

from mediation.lib.hooks import Hook

# open_tasks_for_case(case) -> the open human tasks of the case's flow
open_tasks_for_case = Hook("cases.open_tasks_for_case", "workflows")
# inbox_for(user) -> QuerySet of the user's open tasks
inbox_for = Hook("cases.inbox_for", "workflows")
# case_extend(*, case, actor, days, …) -> Extension: T7 with the flow's escalation timer moved along
case_extend = Hook("cases.case_extend", "workflows")
# user_may_act(user, task) -> bool: whether the user may do this step (the 办理 button)
user_may_act = Hook("cases.user_may_act", "workflows")
# case_clocks_pause(*, case, actor, reason, note, on) / case_clocks_resume(*, case, actor, on):
# D34 pauses with the flow's escalation timer moved along
case_clocks_pause = Hook("cases.case_clocks_pause", "workflows")
case_clocks_resume = Hook("cases.case_clocks_resume", "workflows")
# case_withdraw(*, case, actor, reason, on) -> WithdrawalOutcome: T21 with the flow's open steps cancelled
case_withdraw = Hook("cases.case_withdraw", "workflows")
