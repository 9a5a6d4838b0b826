"""What the workflow layer tells the rest of the portal. `case_changed` is sent after the transaction
of a step commits, once per step, with `workflow` (its key: "loan", "benefit", "appeal", "rating"),
`pk`, `action`, `from_status`, `to_status` and `actor_id` (None for a step nobody took). Sent with
`send_robust`: a failing listener is logged and never breaks the step."""

from django.dispatch import Signal

case_changed = Signal()

# `case_escalated`: a case overdue at a step was raised to the level above (workflow.escalation), with
# `workflow`, `pk` and `escalation_id` (its `Escalation` row names the recipients). After commit, robust.
case_escalated = Signal()
