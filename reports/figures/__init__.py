"""The figures of the whole system as of a day — for a region's subtree when one is given — that the
leaders' dashboard shows and the periodic work report prints. Every app is read through its selectors,
already limited to the user, with aggregate queries (GROUP BY): the number of queries is fixed, whatever
the amount of data. A state on a past day is today's state corrected by the rows whose history changed
since (`portal.selectors.as_of_groups`); the ratings are read from a narrow copy kept by a periodic task,
and live for those changed since it was taken (`summary.py`), which never changes a figure.

"The same day always gives the same figures": each figure is computed from dated facts (history rows
and dates), so the figures of a past day do not change when later events happen:
- ratings: valid on D = published by D (`valid_from` ≤ D ≤ `valid_to`) and not revoked by D
  (`revoked_on`); the stars of D undo any downgrade recorded after D (RatingEvent before/after).
  A newer rating supersedes an older one by shortening its `valid_to` to the day before it starts,
  which never changes a day already past. The 4★+5★ trend counts each cycle's ratings published by D
  and not revoked by D, at their stars of D.
- loans: an application exists from `submitted_at`; its state on D is the last LoanEvent up to D; the
  approved amount is set once, at approval; approvals of the period are the approve events in it.
- insurance: policies by `issued_at`, with the premiums and discount their quote fixed when it was made;
  a quote's status on D is derived from dates (issued by D, else expired if `valid_until` < D).
- talent: talents by `introduced_on`; training sessions by `held_on`.
- liaison: appeals exist from `received_at`; their status on D is the last AppealEvent up to D;
  satisfaction is given once (`rated_at`); pairings hold from `started_on` to the day before `ended_on`.
- 限时办结: each stay of a case at a step that waits on a person is dated (entered, due, left:
  `workflow.steps`); a satisfaction survey is asked on `asked_at` and answered on `answered_at`, its
  follow-up opened on `opened_at` and closed on `closed_at`.

What has no history, and is therefore read as it is now (the limits of "as of"):
- the registry: an enterprise's region, park, key-enterprise flag and kind, a station's area and a
  Party organization's region are today's (a move between towns moves its past figures with it);
- a talent's level is today's level (a change of level is not recorded);
- an appeal's deadline is today's: a deadline moved by a reassignment after D can make an appeal that
  was overdue on D read as not overdue (reassignment never sets a deadline in the past);
- a cadre's level is today's; a cadre counts on D if created by D and either active now or paired that
  day (a cadre made inactive after D with no pairing on D is left out);
- training sessions, like every programme row, are city-wide: the region filter does not narrow them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .leader import (
    FinanceFigures,
    InsuranceFigures,
    LiaisonFigures,
    RatingFigures,
    StationFigures,
    TalentFigures,
    finance_figures,
    insurance_figures,
    liaison_figures,
    rating_figures,
    station_figures,
    talent_figures,
)
from .period import Scope, build_scope, default_period
from .timeliness import TimelinessFigures, timeliness_figures

__all__ = ["Figures", "Scope", "build_scope", "default_period", "figures"]


@dataclass
class Figures:
    scope: Scope
    ratings: RatingFigures
    finance: FinanceFigures
    insurance: InsuranceFigures
    stations: StationFigures
    talent: TalentFigures
    liaison: LiaisonFigures
    timeliness: TimelinessFigures


# The sections in the order of the work report, each with the function that computes it.
SECTIONS = (
    ("ratings", rating_figures),
    ("finance", finance_figures),
    ("insurance", insurance_figures),
    ("stations", station_figures),
    ("talent", talent_figures),
    ("liaison", liaison_figures),
    ("timeliness", timeliness_figures),
)


def figures(*, user, as_of: datetime.date, since: datetime.date | None = None, region=None,
            progress=None) -> Figures:
    """Every section's figures as of `as_of` for the period `since`…`as_of` (by default the year so far),
    limited to what `user` sees and to `region` when given. `progress(index, name)` is told before each
    section is computed (the work report shows it)."""
    scope = build_scope(user=user, as_of=as_of, since=since, region=region)
    computed = {}
    for index, (name, compute) in enumerate(SECTIONS):
        if progress is not None:
            progress(index, name)
        computed[name] = compute(user, scope)
    return Figures(scope=scope, **computed)
