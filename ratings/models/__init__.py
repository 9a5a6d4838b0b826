"""Party organizations, their coverage of enterprises, rubrics, cycles and the ratings themselves."""

from .organizations import (
    CoverageCount,
    InstructorAssignment,
    OrgCoverage,
    PartyOrganization,
    _organization_scope,
)
from .ratings import Evidence, ItemScore, Objection, Rating, RatingEvent, evidence_path
from .rubrics import Cycle, FrozenWithRubric, PublishedRubricError, Rubric, RubricDimension, RubricItem

__all__ = [
    "CoverageCount", "Cycle", "Evidence", "FrozenWithRubric", "InstructorAssignment", "ItemScore", "Objection", "OrgCoverage",
    "PartyOrganization", "PublishedRubricError", "Rating", "RatingEvent", "Rubric", "RubricDimension", "RubricItem",
    "_organization_scope", "evidence_path",
]
