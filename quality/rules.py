"""Service-quality follow-up (服务质效追踪), pure: when a case has ended and the enterprise is asked,
what an answer must hold, when a score opens a follow-up, and the follow-up's own steps."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.choices import Role
from portal.rules import RuleError
from workflow.graph import Graph

from .choices import FollowUpAction as A
from .choices import FollowUpStatus as S

SCORES = (1, 2, 3, 4, 5)
# A score at or below this is a complaint: it needs a reason, and it opens a follow-up.
LOW_SCORE = 2
MIN_LOW_COMMENT = 5
MAX_COMMENT = 500
MIN_OUTCOME = 10
MAX_OUTCOME = 1000
# The org department's commitment on a follow-up: 10 working days from its opening to its closing
# (the default of the step's limit, workflow.StepLimit "followup"/"open").
FOLLOWUP_WORKING_DAYS = 10

# The states in which a case has ended, by workflow: entering one asks the enterprise, once. A loan
# application ends when the bank decides it (approved or rejected); one approved and then disbursed
# was asked at the approval and is not asked again.
ENDING_STATES: dict[str, frozenset[str]] = {
    "loan": frozenset({"approved", "rejected", "disbursed"}),
    "benefit": frozenset({"approved", "rejected"}),
    "appeal": frozenset({"closed"}),
}
# The appeal asks for satisfaction itself (liaison's appeal_rate): its rating is the survey's answer.
APPEAL_RATE = "rate"


def ends_case(workflow: str, from_status: str, to_status: str) -> bool:
    """Whether this step ended the case (a step that stays in an ending state is not an ending)."""
    ending = ENDING_STATES.get(workflow, frozenset())
    return to_status in ending and from_status != to_status


def check_answer(score: object, comment: object) -> tuple[int, str]:
    """A valid answer: a score of 1 to 5, and a comment that a low score must explain."""
    try:
        text = str(score).strip()
        value = int(text)
    except (TypeError, ValueError):
        raise RuleError(_("请选择 1 至 5 分的满意度。"), "score") from None
    if str(value) != text or value not in SCORES:
        raise RuleError(_("请选择 1 至 5 分的满意度。"), "score")
    comment = str(comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise RuleError(_("评价意见不能超过 %(n)d 字。") % {"n": MAX_COMMENT}, "comment")
    if is_low(value) and len(comment) < MIN_LOW_COMMENT:
        raise RuleError(_("评分为 %(max)d 分及以下时，请写明不满意的原因（不少于 %(n)d 个字）。")
                        % {"max": LOW_SCORE, "n": MIN_LOW_COMMENT}, "comment")
    return value, comment


def is_low(score: int | None) -> bool:
    return score is not None and score <= LOW_SCORE


def check_outcome(outcome: object) -> str:
    """The written outcome a follow-up is closed with."""
    text = str(outcome or "").strip()
    if len(text) < MIN_OUTCOME:
        raise RuleError(_("请写明整改结果（不少于 %(n)d 个字），企业将看到这段答复。") % {"n": MIN_OUTCOME}, "outcome")
    if len(text) > MAX_OUTCOME:
        raise RuleError(_("整改结果不能超过 %(n)d 字。") % {"n": MAX_OUTCOME}, "outcome")
    return text


def average(total: int | None, count: int) -> float | None:
    """The average score to one place, None when nobody answered."""
    return None if not count else round((total or 0) / count, 1)


TRANSITIONS = {
    (S.OPEN, A.START): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.CLOSE): S.CLOSED,
}
ACTORS = {A.START: frozenset({Role.ORG_STAFF}), A.CLOSE: frozenset({Role.ORG_STAFF})}

GRAPH = Graph(statuses=S, actions=A, transitions=TRANSITIONS, actors=ACTORS,
              refusal=gettext_lazy("回访整改当前为“%(s)s”，不能“%(a)s”。"), initial=S.OPEN, final=frozenset({S.CLOSED}))
