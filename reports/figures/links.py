"""Where each figure of the leaders' dashboard leads: the list it counts, filtered the same way (the
day, the period, the region), so that a leader who clicks 超期 58 lands on those 58 appeals.

The lists show rows as they are now: a figure "as of" a past day (a state, an overdue appeal) links to
today's rows with the same filters, which are the same rows when the day is today (the default)."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from django.urls import reverse

from .leader import LOAN_STATES, STARS

PENDING = "pending"  # submitted or accepted: the finance list's `stage`
OUTSTANDING = "outstanding"  # approved or disbursed: the quota in use


class LazyList(Sequence):
    """A list whose items are made on first use by `make(index)`, then kept."""

    def __init__(self, length: int, make):
        self._length, self._make, self._made = length, make, {}

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        if index not in self._made:
            self._made[index] = self._make(index)
        return self._made[index]


def leader_links(f) -> dict:
    """The links of every card, table row and cell of the dashboard, by what they count."""
    # A province's city has hundreds of towns, each row of the stars-by-area table six links: thousands
    # of links to a dozen lists. Each list's path is resolved once here, not once per link (reverse()
    # costs ~0.3 ms: about a second for 300 towns).
    paths: dict[str, str] = {}

    def _url(name: str, **params) -> str:
        path = paths.get(name)
        if path is None:
            path = paths[name] = reverse(name)
        query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
        return path + ("?" + query if query else "")

    scope = f.scope
    region = scope.region.pk if scope.region is not None else None
    day, since = scope.as_of.isoformat(), scope.since.isoformat()

    def ratings(**params):
        return _url("ratings:list", region=params.pop("region", region), **params)

    def loans(**params):
        return _url("finance:application_list", region=region, **params)

    def policies(**params):
        return _url("insurance:policy_list", region=region, issued_from=since, issued_to=day, **params)

    def appeals(**params):
        return _url("liaison:appeal_list", region=region, **params)

    r, fin, ins, li, tm = f.ratings, f.finance, f.insurance, f.liaison, f.timeliness

    def late(name: str, **params) -> str:
        """Today's cases of the list past their due date (the figure counts the stays open past due on the
        day, the same cases when the day is today)."""
        return _url(name, due="overdue", **params)

    return {
        "rated": ratings(valid_on=day),
        "high": ratings(valid_on=day, high="true"),
        "levels": {s: ratings(valid_on=day, stars=s) for s in STARS},
        # Made for the rows shown (a page of the table, the chart's busiest areas), not for all 300 towns.
        "areas": LazyList(len(r.areas), lambda k: {
            "total": ratings(valid_on=day, region=r.areas[k]["region"]),
            "stars": [ratings(valid_on=day, region=r.areas[k]["region"], stars=s) for s in STARS]}
            if r.areas[k].get("region") else None),
        "trend": [ratings(valid_on=day, high="true") if p["year"] == scope.as_of.year
                  else ratings(year=p["year"], high="true", published_by=day) for p in r.trend],
        "approvals": loans(approved_from=since, approved_to=day),
        "outstanding": loans(stage=OUTSTANDING),
        "pending": loans(stage=PENDING),
        "banks": [{"all": loans(bank=b["pk"]), "states": [loans(bank=b["pk"], status=s) for s in LOAN_STATES],
                   "approvals": loans(bank=b["pk"], approved_from=since, approved_to=day)} for b in fin.banks],
        "states": [loans(status=s) for s in LOAN_STATES],
        "loans": loans(),
        "policies": policies(),
        "insurers": [policies(insurer=x["pk"]) for x in ins.insurers],
        "stations": [reverse("station_detail", args=[s["pk"]]) for s in f.stations.top],
        "talents": {lvl["code"]: _url("talent:talent_list", level=lvl["code"]) for lvl in f.talent.levels},
        "training": [_url("talent:training_list", year=y["year"]) for y in f.talent.training],
        "open": appeals(open="true"),
        "overdue": appeals(overdue="true"),
        "categories": [{"open": appeals(open="true", category=c["code"]),
                        "overdue": appeals(overdue="true", category=c["code"]),
                        "received": appeals(category=c["code"], received_from=since, received_to=day)}
                       for c in li.categories],
        "received": appeals(received_from=since, received_to=day),
        "key": _url("enterprise_list", region=region, is_key="true"),
        # County-level cadres are counted city-wide, as the figures count them.
        "cadres": _url("liaison:cadre_list", level="county", is_active="true"),
        "cadres_under": _url("liaison:cadre_list", level="county", range_state="under"),
        "cadres_over": _url("liaison:cadre_list", level="county", range_state="over"),
        "late": {
            "towns": [late("ratings:list", region=t["pk"], status="town") for t in tm.towns],
            "banks": [late("finance:application_list", region=region, bank=b["pk"]) for b in tm.banks],
            # The benefit list has no region filter: a programme's link only for the whole city.
            "programmes": [late("talent:benefit_list", item=p["pk"]) if region is None else None
                           for p in tm.programmes],
            "departments": [late("liaison:appeal_list", region=region, department=d["pk"]) for d in tm.departments],
        },
    }
