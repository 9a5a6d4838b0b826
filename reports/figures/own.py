"""The figures a service station and a bank see of their own work, as of a day and for a period: the
same dated facts as the leaders' figures (see the package docstring), read through the same selectors,
which limit them to the station's area and to the bank's own applications."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from portal.access import user_assignments
from portal.choices import Role

from .leader import LOAN_STATES, OUTSTANDING, ZERO, percent
from .period import year_start
from .timeliness import OwnQuality, bank_quality, station_quality


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _by_state(rows: list[dict], order, choices, *sums: str) -> list[dict]:
    """One row per state in `order` (zeros included), with its count and sums."""
    found = {row["state"]: row for row in rows}
    return [{"state": state, "label": _label(choices, state), "count": found.get(state, {}).get("count", 0),
             **{name: found.get(state, {}).get(name) or ZERO for name in sums}} for state in order]


# --- the station ------------------------------------------------------------------------------------

@dataclass
class StationDashboard:
    stations: list  # the user's stations
    as_of: datetime.date
    since: datetime.date
    enterprises: int
    rated: int
    rated_share: Decimal | None
    loans: list[dict]  # {"state", "label", "count", "amount"}
    quotes: list[dict]  # {"state", "label", "count", "discount"}
    appeals: list[dict]  # {"state", "label", "count"}
    quality: OwnQuality | None = None  # the satisfaction with the cases the stations registered

    @property
    def loan_total(self) -> int:
        return sum(r["count"] for r in self.loans)

    @property
    def quote_total(self) -> int:
        return sum(r["count"] for r in self.quotes)

    @property
    def appeal_total(self) -> int:
        return sum(r["count"] for r in self.appeals)


def user_stations(user) -> list:
    return [a.station for a in user_assignments(user) if a.role == Role.STATION_OPERATOR and a.station_id]


def station_dashboard(*, user, as_of: datetime.date, since: datetime.date | None = None) -> StationDashboard:
    """The figures of the stations the user operates: the enterprises of their area and how many had a
    valid rating on `as_of`; the loan applications, insurance quotes and appeals they raised in the
    period, by their state on `as_of`."""
    from finance.choices import LoanStatus
    from finance.selectors import station_loan_states
    from insurance.choices import QuoteStatus
    from insurance.selectors import station_quote_states
    from liaison.choices_appeals import AppealStatus
    from liaison.selectors.appeals import station_appeal_states
    from portal.selectors import enterprise_list
    from ratings.selectors import rated_enterprise_count

    since = min(since or year_start(as_of), as_of)
    stations = user_stations(user)
    ids = [s.pk for s in stations]
    area = enterprise_list(user=user)
    counts = rated_enterprise_count(area, as_of)
    kwargs = {"user": user, "stations": ids, "on": as_of, "since": since}
    return StationDashboard(
        stations=stations, as_of=as_of, since=since, enterprises=counts["total"], rated=counts["rated"],
        rated_share=percent(counts["rated"], counts["total"]),
        loans=_by_state(station_loan_states(**kwargs), LOAN_STATES, LoanStatus, "amount"),
        quotes=_by_state(station_quote_states(**kwargs), QuoteStatus.values, QuoteStatus, "discount"),
        appeals=_by_state(station_appeal_states(**kwargs), AppealStatus.values, AppealStatus),
        quality=station_quality(user=user, stations=stations, since=since, as_of=as_of),
    )


# --- the bank ---------------------------------------------------------------------------------------

@dataclass
class BankDashboard:
    banks: list  # the user's banks
    as_of: datetime.date
    since: datetime.date
    states: list[dict]  # {"state", "label", "count", "amount", "approved"}
    quota_used: Decimal  # approved amounts outstanding on `as_of`
    months: list[dict]  # {"month": "YYYY-MM", "count", "amount"}, every month of the period
    decisions: int
    average_days: Decimal | None  # from submission to decision, for the decisions of the period
    quality: OwnQuality | None = None  # the bank's on-time rate and its enterprises' satisfaction

    @property
    def total(self) -> int:
        return sum(r["count"] for r in self.states)

    @property
    def approved_count(self) -> int:
        return sum(m["count"] for m in self.months)

    @property
    def approved_amount(self) -> Decimal:
        return sum((m["amount"] for m in self.months), ZERO)


def user_banks(user) -> list:
    return [a.institution for a in user_assignments(user) if a.role == Role.BANK_OFFICER and a.institution_id]


def _months(since: datetime.date, as_of: datetime.date) -> list[str]:
    months, day = [], since.replace(day=1)
    while day <= as_of:
        months.append(f"{day.year:04d}-{day.month:02d}")
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def bank_dashboard(*, user, as_of: datetime.date, since: datetime.date | None = None) -> BankDashboard:
    """The figures of the user's bank: its applications by their state on `as_of`, the quota its
    approvals held that day, its approvals per month of the period and the average days it took to
    decide. Only its own applications: the selectors restrict a bank officer to its bank."""
    from finance.choices import LoanStatus
    from finance.selectors import bank_loan_figures

    since = min(since or year_start(as_of), as_of)
    raw = bank_loan_figures(user=user, on=as_of, since=since)
    states = _by_state(raw["by_state"], LOAN_STATES, LoanStatus, "amount", "approved")
    quota_used = sum((r["approved"] for r in states if r["state"] in OUTSTANDING), ZERO)
    found = {}
    for row in raw["months"]:
        month = row["month"]
        found[f"{month.year:04d}-{month.month:02d}"] = row
    months = [{"month": m, "count": found.get(m, {}).get("count", 0), "amount": found.get(m, {}).get("amount") or ZERO}
              for m in _months(since, as_of)]
    decisions = raw["decisions"]
    average_days = None
    if decisions["count"]:
        seconds = Decimal(decisions["wait"].total_seconds()) / decisions["count"]
        average_days = (seconds / 86400).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    banks = user_banks(user)
    return BankDashboard(banks=banks, as_of=as_of, since=since, states=states, quota_used=quota_used,
                         months=months, decisions=decisions["count"], average_days=average_days,
                         quality=bank_quality(banks=banks, since=since, as_of=as_of))
