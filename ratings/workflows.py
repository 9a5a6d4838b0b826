"""The star rating's workflow, bound to its model (workflow.engine): the organization assesses itself,
the town reviews, the organization department reviews, the result is under public notice, then named.
A rating waits on a person only in the two reviews (the service-time limits count there): the
self-assessment is the applicant's own, with the cycle's closing day as its deadline, and under
notice a rating is named once the notice ends with no open objection."""

from django.utils.translation import gettext_lazy as _

from workflow.engine import Workflow

from . import rules
from .choices import RatingStatus as S
from .models import Rating, RatingEvent

RATING = Workflow(
    key="rating", label=_("星级评定"), graph=rules.GRAPH, model=Rating, event_model=RatingEvent,
    event_parent="rating", audit_prefix="rating", note_field="comment", note_max=1_000_000,
    stale=_("该评定已被他人修改（现为“%(s)s”），请刷新页面后重试。"),
    waiting={S.TOWN: _("镇街"), S.DEPT: _("组织部")},
)
