"""Demo data of the star rating (评星定级): Party organizations and the two coverages, the default
rubric, the published cycles 2019–2025 and the 2026 cycle in progress.

Two steps. `ratings.organizations` gives about one private enterprise in nine its own organization
(mostly a 党支部, bigger firms a 党总支, the largest a 党委), gathers small firms of a town into joint
branches (联合党支部) and sends Party-building instructors to some enterprises that have no
organization. `ratings.cycles` publishes the default rubric and opens the cycles through the
services, then writes every rating as the services would have left it — status, each stage's item
scores and `stage_results`, notice and validity dates, `version`, and the events of its history —
in bulk (bulk_create, and COPY for the events and item scores): walking thousands of ratings through
the services one by one would take minutes, and far longer at province scale.

The domain's headline figure holds exactly at city scale: 6 organizations with four or five stars in
2019, 31 in 2022 (HIGH_STARS), more every year; other sizes scale the series.
"""

from . import cycles, organizations  # noqa: F401  (registers the steps, organizations first)
