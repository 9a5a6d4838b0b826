"""The figures of the whole system as of a day: exact values from dated history, the same values for
a past day after later changes, limited to the user and the region, and a fixed number of queries
whatever the amount of data."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.documents.svg import nice_ceiling
from reports.figures import figures
from reports.figures.leader import average, percent
from reports.figures.own import bank_dashboard, station_dashboard
from tests.finance.conftest import product, product2, quota_table  # noqa: F401  (fixtures)
from tests.ratings.conftest import rubric  # noqa: F401  (fixture)

from . import figures_world
from .figures_world import DAY, grow, later_changes

hist = figures_world.hist  # the fixture

pytestmark = pytest.mark.django_db

D = Decimal
ZERO = D("0.00")


def _of(w, user=None, **kwargs):
    return figures(user=user or w.leader, as_of=w.day, since=w.since, **kwargs)


def _sections(result):
    return {name: getattr(result, name) for name in ("ratings", "finance", "insurance", "stations", "talent",
                                                     "liaison")}


# --- pure helpers ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("part", "whole", "expected"), [
    (1, 3, D("33.3")), (2, 3, D("66.7")), (1, 2, D("50.0")), (0, 5, D("0.0")), (5, 5, D("100.0")), (1, 0, None),
])
def test_percent_rounds_half_up_to_one_decimal(part, whole, expected):
    assert percent(part, whole) == expected


@pytest.mark.parametrize(("total", "count", "expected"), [(9, 2, D("4.5")), (13, 3, D("4.3")), (0, 0, None),
                                                          (5, 1, D("5.0")), (25, 6, D("4.2"))])
def test_average_has_one_decimal(total, count, expected):
    assert average(total, count) == expected


@pytest.mark.parametrize(("value", "expected"), [(0, 1), (-3, 1), (3, 5), (7, 10), (11, 20), (162, 200),
                                                 (0.4, 0.5), (2500, 2500), (2501, 5000)])
def test_chart_axis_tops_at_a_round_number(value, expected):
    assert nice_ceiling(value) == expected


# --- the figures of a day ----------------------------------------------------------------------------

def test_ratings_valid_on_the_day_by_stars_area_and_year(hist):
    r = _of(hist).ratings
    assert [(row["stars"], row["count"]) for row in r.levels] == [(5, 1), (4, 2), (3, 1), (2, 0), (1, 1)]
    assert (r.total, r.high) == (5, 3)
    assert r.areas == [
        {"name": "东湖镇", "stars": [1, 1, 0, 0, 0], "total": 2, "high": 2, "region": hist.town_a.pk},
        {"name": "西山街道", "stars": [0, 1, 1, 0, 0], "total": 2, "high": 1, "region": hist.town_b.pk},
        {"name": "星湖市本级", "stars": [0, 0, 0, 0, 1], "total": 1, "high": 0, "region": None},
    ]
    year = hist.day.year
    expected = {y: 0 for y in range(2019, year)}
    # the day's own year so far: the four- and five-star ratings valid that day, not a fall to zero
    expected.update({year - 2: 1, year - 1: 3, year: 3})
    assert {p["year"]: p["count"] for p in r.trend} == expected
    assert r.trend[-1]["label"] == f"{year}（截至{hist.day.month}月{hist.day.day}日）"
    assert (r.trend[-1]["partial"], r.trend[-2]["label"], r.trend[-2]["partial"]) == (True, str(year - 1), False)


def test_loans_by_bank_as_they_stood_and_approvals_of_the_period(hist):
    f = _of(hist).finance
    assert [code for code, _label in f.states] == ["submitted", "accepted", "approved", "disbursed", "repaid",
                                                   "rejected", "withdrawn"]
    assert f.banks == [
        {"name": "农商银行", "pk": hist.bank.pk, "states": [0, 0, 0, 1, 1, 0, 0], "count": 2, "amount": D("1500000.00"),
         "quota_used": D("800000.00"), "approved_count": 2, "approved_amount": D("1100000.00")},
        {"name": "建设银行", "pk": hist.bank2.pk, "states": [0, 1, 0, 0, 0, 1, 0], "count": 2, "amount": D("2500000.00"),
         "quota_used": ZERO, "approved_count": 0, "approved_amount": ZERO},
    ]
    assert f.total == {"states": [0, 1, 0, 1, 1, 1, 0], "count": 4, "amount": D("4000000.00"),
                       "quota_used": D("800000.00"), "approved_count": 2, "approved_amount": D("1100000.00")}


def test_insurance_stations_and_talent_of_the_period(hist):
    result = _of(hist)
    assert result.insurance.insurers == [
        {"name": "人保财险", "pk": hist.insurer.pk, "count": 1, "base": D("10000.00"), "discount": D("3000.00"), "net": D("7000.00")},
        {"name": "平安财险", "pk": hist.insurer2.pk, "count": 0, "base": ZERO, "discount": ZERO, "net": ZERO},
    ]
    assert result.stations.top == [{"name": "东湖镇金融服务站", "pk": hist.station_a.pk, "loans": 2, "quotes": 2, "appeals": 1, "total": 5}]
    assert (result.stations.active, result.stations.total) == (1, {"loans": 2, "quotes": 2, "appeals": 1})
    t = result.talent
    assert [(lvl["code"], lvl["count"], lvl["recent"]) for lvl in t.levels] == [
        ("A", 1, 0), ("B", 0, 0), ("C", 1, 1), ("D", 0, 0), ("E", 0, 0)]
    years = {}
    for held, trainees in ((hist.day - 400 * DAY, 30), (hist.day - 10 * DAY, 20)):
        sessions, people = years.get(held.year, (0, 0))
        years[held.year] = (sessions + 1, people + trainees)
    assert [(y["year"], y["sessions"], y["trainees"]) for y in t.training] == [
        (year, s, n) for year, (s, n) in sorted(years.items())]


def test_appeals_and_pairings_on_the_day(hist):
    li = _of(hist).liaison
    rows = {c["label"]: c for c in li.categories}
    assert [c["label"] for c in li.categories] == ["融资", "人才", "用地", "审批许可", "法律", "政策", "其他"]
    assert rows["融资"] == {"code": "financing", "label": "融资", "open": 1, "overdue": 1, "received": 1, "resolved": 0, "counted": 1,
                          "rate": D("0.0"), "rated": 0, "satisfaction": None}
    assert (rows["用地"]["open"], rows["用地"]["overdue"], rows["用地"]["resolved"]) == (1, 0, 0)
    assert (rows["政策"]["resolved"], rows["政策"]["rate"], rows["政策"]["satisfaction"]) == (1, D("100.0"), D("4.0"))
    assert (rows["其他"]["received"], rows["其他"]["counted"], rows["其他"]["rate"]) == (1, 0, None)
    assert li.total == {"label": "合计", "open": 2, "overdue": 1, "received": 4, "resolved": 1, "counted": 3,
                        "rate": D("33.3"), "rated": 1, "satisfaction": D("4.0")}
    assert li.pairing == {"key_total": 2, "key_covered": 1, "key_uncovered": 1, "coverage": D("50.0"),
                          "county": 2, "under": 1, "over": 0, "ok": 1}


def test_the_same_day_gives_the_same_figures_after_later_changes(hist):
    # given the figures of day D
    before = _sections(_of(hist))
    today_before = _sections(figures(user=hist.leader, as_of=hist.day + 30 * DAY, since=hist.since))
    # when, after D, a loan is approved, a rating revoked and another downgraded, an appeal resolved
    # and rated, a pairing ended and a cadre recorded
    later_changes(hist)
    # then the figures of D are unchanged
    assert _sections(_of(hist)) == before
    # while today's figures show the changes (so the comparison above could fail)
    today = figures(user=hist.leader, as_of=hist.day + 30 * DAY, since=hist.since)
    assert today.ratings != today_before["ratings"]
    assert [(row["stars"], row["count"]) for row in today.ratings.levels] == [(5, 1), (4, 0), (3, 1), (2, 1), (1, 1)]
    assert today.finance.banks[1]["states"][2] == 1  # bank2's application approved today
    assert today.liaison.pairing["key_covered"] == 0


def test_figures_are_limited_to_what_the_user_sees(hist):
    # town staff of town A: only town A's organizations, loans, appeals and key enterprises
    result = _of(hist, user=hist.town_staff)
    assert (result.ratings.total, [row["count"] for row in result.ratings.levels]) == (2, [1, 1, 0, 0, 0])
    assert [b["count"] for b in result.finance.banks] == [2, 1]  # L1, L4 (bank) and L3 (bank2): ent_a's, ent_c's
    assert result.liaison.total["received"] == 2
    assert result.liaison.pairing["key_total"] == 1


def test_a_region_narrows_the_figures_to_its_subtree_by_village(hist):
    result = _of(hist, region=hist.town_b)
    assert result.ratings.areas == [{"name": "西山社区", "stars": [0, 1, 1, 0, 0], "total": 2, "high": 1,
                                     "region": hist.village_b.pk}]
    assert [b["count"] for b in result.finance.banks] == [0, 1]
    assert result.insurance.total["count"] == 0
    assert (result.liaison.total["open"], result.liaison.pairing["key_total"]) == (1, 1)


# --- a station's and a bank's own figures ------------------------------------------------------------

def test_a_station_sees_what_it_raised(hist):
    d = station_dashboard(user=hist.station, as_of=hist.day, since=hist.since)
    assert [s.name for s in d.stations] == ["东湖镇金融服务站"]
    assert (d.enterprises, d.rated, d.rated_share) == (3, 2, D("66.7"))  # ent_a and ent_c of 3 in town A
    assert {r["state"]: (r["count"], r["amount"]) for r in d.loans if r["count"]} == {
        "disbursed": (1, D("1000000.00")), "rejected": (1, D("2000000.00"))}
    assert {r["state"]: r["count"] for r in d.quotes if r["count"]} == {"issued": 1, "quoted": 1}
    assert {r["state"]: r["count"] for r in d.appeals if r["count"]} == {"assigned": 1}
    other = station_dashboard(user=hist.station_b_user, as_of=hist.day, since=hist.since)
    assert (other.loan_total, other.quote_total, other.appeal_total) == (0, 0, 0)


def test_a_bank_sees_its_own_applications_only(hist):
    d = bank_dashboard(user=hist.bank_officer, as_of=hist.day, since=hist.since)
    assert {r["state"]: r["count"] for r in d.states if r["count"]} == {"disbursed": 1, "repaid": 1}
    assert d.quota_used == D("800000.00")
    assert (d.approved_count, d.approved_amount) == (2, D("1100000.00"))
    months = {m["month"]: (m["count"], m["amount"]) for m in d.months if m["count"]}
    expected = {}
    for day, amount in ((hist.day - 40 * DAY, D("800000")), (hist.day - 25 * DAY, D("300000"))):
        key = f"{day.year:04d}-{day.month:02d}"
        count, total = expected.get(key, (0, ZERO))
        expected[key] = (count + 1, total + amount)
    assert months == expected
    # L1 decided 10 days after submission, L4 5 days after
    assert (d.decisions, d.average_days) == (2, D("7.5"))
    other = bank_dashboard(user=hist.bank2_officer, as_of=hist.day, since=hist.since)
    assert {r["state"]: r["count"] for r in other.states if r["count"]} == {"accepted": 1, "rejected": 1}
    assert (other.quota_used, other.approved_count, other.average_days) == (ZERO, 0, D("5.0"))


# --- a fixed number of queries ------------------------------------------------------------------------

def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_data(hist):
    leader = lambda: _of(hist)  # noqa: E731
    town = lambda: _of(hist, user=hist.town_staff)  # noqa: E731
    station = lambda: station_dashboard(user=hist.station, as_of=hist.day, since=hist.since)  # noqa: E731
    bank = lambda: bank_dashboard(user=hist.bank_officer, as_of=hist.day, since=hist.since)  # noqa: E731
    for call in (leader, town, station, bank):
        call()  # the user's role assignments are read once per user object
    small = [_queries(call) for call in (leader, town, station, bank)]
    # when every kind of row is added many times over, with history before and after the day
    grow(hist, 25)
    assert [_queries(call) for call in (leader, town, station, bank)] == small
    assert _of(hist).ratings.total > 5  # the grown rows are counted: the comparison is not empty


def test_the_leader_figures_take_thirty_four_queries(hist, django_assert_num_queries):
    # 22 for the first six sections, 12 for 限时办结与服务质效 (reports.figures.timeliness)
    _of(hist)
    with django_assert_num_queries(34):
        _of(hist)


def test_figures_as_of_a_day_before_anything_happened_are_zero(hist):
    result = figures(user=hist.leader, as_of=datetime.date(2019, 1, 1))
    assert (result.ratings.total, result.finance.total["count"], result.liaison.total["received"]) == (0, 0, 0)
    assert result.ratings.trend == [{"year": 2019, "count": 0, "label": "2019（截至1月1日）", "partial": True}]


def test_the_trend_ends_on_a_whole_year_when_the_day_is_the_last_of_december(hist):
    result = figures(user=hist.leader, as_of=datetime.date(2020, 12, 31))
    assert result.ratings.trend == [{"year": 2019, "count": 0, "label": "2019", "partial": False},
                                    {"year": 2020, "count": 0, "label": "2020", "partial": False}]


# --- the ratings' summary copy ------------------------------------------------------------------------

def test_the_summary_copy_is_read_and_changes_since_are_read_live(hist):
    from ratings.models import Rating
    from reports.figures.summary import rating_facts_refresh

    live = _sections(_of(hist))
    # when the copy is taken, the figures of the day are the same
    state = rating_facts_refresh()
    assert state.rows == 7
    assert _sections(_of(hist)) == live
    # and they come from the copy: a change that bypassed the history is not seen until the next copy
    Rating.objects.filter(pk=hist.rating_b.pk).update(stars=1)
    assert [row["count"] for row in _of(hist).ratings.levels] == [1, 2, 1, 0, 1]
    Rating.objects.filter(pk=hist.rating_b.pk).update(stars=3)
    # when changes are recorded after the copy was taken, they are read live: the day's figures stand
    later_changes(hist)
    assert _sections(_of(hist)) == live
    # and today's show the revocation and the downgrade made since the copy
    today = figures(user=hist.leader, as_of=hist.day + 30 * DAY, since=hist.since)
    assert [(row["stars"], row["count"]) for row in today.ratings.levels] == [(5, 1), (4, 0), (3, 1), (2, 1), (1, 1)]


def test_refreshing_the_copy_twice_gives_the_same_copy(hist):
    from reports.figures.summary import rating_facts_refresh
    from reports.models import RatingFact, SummaryRefresh
    from reports.tasks import rating_facts_refresh_task

    rating_facts_refresh()
    first = set(RatingFact.objects.values_list("rating_id", "region_code", "cycle_year", "stars", "valid_from",
                                               "valid_to", "revoked_on"))
    assert rating_facts_refresh_task() == 7
    assert set(RatingFact.objects.values_list("rating_id", "region_code", "cycle_year", "stars", "valid_from",
                                              "valid_to", "revoked_on")) == first
    assert (hist.rating_e.pk, hist.village_b.code, hist.day.year - 1, 5, hist.rating_e.valid_from,
            hist.rating_e.valid_to, hist.rating_e.revoked_on) in first
    assert SummaryRefresh.objects.count() == 1


def test_with_the_copy_the_queries_do_not_grow_with_the_data_either(hist):
    from reports.figures.summary import rating_facts_refresh

    rating_facts_refresh()
    _of(hist)
    small = _queries(lambda: _of(hist))
    grow(hist, 25)  # its downgrades are recorded after the copy: read live
    assert _queries(lambda: _of(hist)) == small == 35
