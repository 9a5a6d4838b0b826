"""The co-building demo step: what it makes, and that it makes it the same every time."""

import datetime
from io import StringIO

import pytest
from django.db import transaction

from finance import demo_cobuilding
from finance import selectors_cobuilding as selectors
from finance.models import CadreExchange, CoBuildingActivity, CoBuildingPair
from portal.demo import DEMO_TODAY, SeedContext
from portal.demo.context import registered_steps, run_steps, scale_for
from portal.demo.runner import DEFAULT_SEED

from .cobuilding_fixtures import D, today

pytestmark = pytest.mark.django_db


# --- the demo step -----------------------------------------------------------------------------

DEMO_ENTERPRISES = 300


def demo_snapshot() -> dict:
    """The co-building data by natural keys (ids differ between runs, the data must not)."""
    return {
        "pairs": list(CoBuildingPair.objects.order_by("park__code", "region__code", "bank__code").values_list(
            "bank__code", "branch__name", "park__code", "region__code", "started_on", "ended_on", "note")),
        "activities": list(CoBuildingActivity.objects.order_by(
            "pair__park__code", "pair__region__code", "held_on", "title").values_list(
            "pair__bank__code", "held_on", "title", "description", "participants")),
        "exchanges": list(CadreExchange.objects.order_by("started_on", "person_name").values_list(
            "person_name", "direction", "organ", "bank__code", "post", "started_on", "ended_on")),
    }


def seed_demo_steps(seed=DEFAULT_SEED) -> SeedContext:
    """The registry's steps and this one, at a small size (the step does not depend on the enterprises)."""
    steps = [s for s in registered_steps() if s.name.startswith("portal.") or s.name == "finance.cobuilding"]
    ctx = SeedContext(seed=seed, scale=scale_for("city", enterprises=DEMO_ENTERPRISES), log=StringIO().write)
    return run_steps(ctx, steps)


@pytest.fixture
def demo(db):
    with transaction.atomic():
        seed_demo_steps()
        first = demo_snapshot()
        transaction.set_rollback(True)
    ctx = seed_demo_steps()
    return ctx, first


def test_the_demo_step_runs_right_after_the_accounts():
    names = [s.name for s in registered_steps()]
    assert names[names.index("portal.accounts") + 1] == "finance.cobuilding"
    step = next(s for s in registered_steps() if s.name == "finance.cobuilding")
    assert (step.label, step.func) == ("组织共建", demo_cobuilding.seed_cobuilding)


def test_the_demo_pairs_both_parks_and_fifteen_villages_with_the_five_banks(demo):
    ctx, _first = demo
    pairs = list(CoBuildingPair.objects.select_related("bank", "branch", "region"))
    parks = [p for p in pairs if p.park_id]
    villages = [p for p in pairs if p.region_id]
    assert len(parks) == 2
    assert {p.park for p in parks} == set(ctx.parks)
    assert len({p.bank_id for p in parks}) == 2
    assert len(villages) == 15
    assert len({p.region_id for p in villages}) == 15
    assert all(p.region.level == "village" for p in villages)
    # spread over the five banks, three villages each
    assert sorted(sum(p.bank_id == b.pk for p in villages) for b in ctx.banks) == [3, 3, 3, 3, 3]
    assert all(p.bank.kind == "bank" and (p.branch is None or p.branch.institution_id == p.bank_id) for p in pairs)
    assert all(D(2019, 1, 1) <= p.started_on <= D(2024, 12, 31) for p in pairs)
    ended = [p for p in pairs if p.ended_on]
    assert len(ended) == 3
    assert all(p.region_id and p.started_on < p.ended_on < DEMO_TODAY for p in ended)
    # the summary says so
    assert ("结对共建", 17) in ctx.summary
    assert ("共建活动", CoBuildingActivity.objects.count()) in ctx.summary
    assert ("干部互派互挂", CadreExchange.objects.count()) in ctx.summary


def test_the_demo_activities_fall_within_their_pairings(demo):
    counts = {p.pk: 0 for p in CoBuildingPair.objects.all()}
    for activity in CoBuildingActivity.objects.select_related("pair"):
        pair = activity.pair
        counts[pair.pk] += 1
        assert pair.started_on <= activity.held_on < DEMO_TODAY
        assert pair.ended_on is None or activity.held_on <= pair.ended_on
        assert activity.title in {title for title, _d in demo_cobuilding.ACTIVITIES}
        assert 12 <= activity.participants <= 80
    assert all(2 <= n <= 6 for n in counts.values()), counts
    assert {"党建共建主题党日", "金融知识进村", "整村授信宣讲"} <= set(
        CoBuildingActivity.objects.values_list("title", flat=True))


def test_the_demo_exchanges_go_both_ways_for_a_year(demo):
    ctx, _first = demo
    exchanges = list(CadreExchange.objects.select_related("bank"))
    assert 8 <= len(exchanges) <= 12
    directions = [e.direction for e in exchanges]
    assert directions.count("to_bank") >= 4
    assert directions.count("to_gov") >= 4
    for e in exchanges:
        assert e.bank.kind == "bank"
        assert e.person_name
        assert e.organ.startswith("星湖市")
        assert e.post
        assert e.started_on.day == 1
        assert e.ended_on == e.started_on.replace(year=e.started_on.year + 1) - datetime.timedelta(days=1)
    # those under way are so on the real date (the overview's figure), the others ended before 2025
    under_way = [e for e in exchanges if e.started_on <= today() <= e.ended_on]
    assert len(under_way) == (len(exchanges) + 1) // 2
    assert all(e.ended_on < D(2025, 1, 1) for e in exchanges if e not in under_way)
    assert sum(n for _d, _label, n in selectors.exchanges_by_direction(user=ctx.users["leader"])) == len(under_way)


def test_the_demo_step_is_deterministic(demo):
    _ctx, first = demo
    assert demo_snapshot() == first
    assert len(first["pairs"]) == 17
    assert first["activities"]
    assert first["exchanges"]


def test_another_seed_makes_other_data(db):
    with transaction.atomic():
        seed_demo_steps(seed=7)
        other = demo_snapshot()
        transaction.set_rollback(True)
    seed_demo_steps()
    assert len(other["pairs"]) == 17
    assert demo_snapshot() != other
