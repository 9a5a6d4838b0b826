"""Every write of the rating: organizations and coverage, rubrics, cycles and the workflow.

Each service is atomic, locks what it changes, checks the acting user's right on the object, applies
the pure rules and writes both the rating's own history (RatingEvent) and the audit log.
"""

from .. import rules
from .organizations import (
    ORGANIZATION_FIELDS,
    coverage_end,
    coverage_start,
    instructor_assign,
    instructor_end,
    organization_create,
    organization_update,
)
from .rubrics import (
    CYCLE_FIELDS,
    DimensionInput,
    ItemInput,
    cycle_create,
    cycle_open_ratings,
    rubric_create,
    rubric_new_version,
    rubric_publish,
    rubric_update_draft,
)
from .workflow import (
    OBJECTIONS_PER_ADDRESS_PER_DAY,
    PublishReport,
    ScoreInput,
    can_act_on_rating,
    evidence_add,
    objection_lodge,
    objection_resolve,
    objection_unmask,
    rating_downgrade,
    rating_publish,
    rating_revoke,
    rating_start,
    rating_transition,
    ratings_publish_due,
)

__all__ = [
    "CYCLE_FIELDS", "OBJECTIONS_PER_ADDRESS_PER_DAY", "ORGANIZATION_FIELDS", "DimensionInput", "ItemInput",
    "PublishReport", "ScoreInput", "can_act_on_rating", "coverage_end", "coverage_start", "cycle_create",
    "cycle_open_ratings", "evidence_add", "instructor_assign", "instructor_end", "objection_lodge",
    "objection_resolve", "objection_unmask", "organization_create", "organization_update", "rating_downgrade", "rating_publish",
    "rating_revoke", "rating_start", "rating_transition", "ratings_publish_due", "rubric_create",
    "rubric_new_version", "rubric_publish", "rubric_update_draft", "rules",
]
