"""The outreach demo step: what it makes keeps the services' rules, the demo accounts have something to
see, and a seed makes the same data every time."""

import datetime
from io import StringIO

import pytest
from django.db import transaction
from django.utils import timezone

from liaison.demo import outreach as demo_outreach
from liaison.models import (
    CareActivity,
    Consultation,
    Lawyer,
    MentoringPair,
    MentoringSession,
    NoticeReceipt,
    PolicyNotice,
)
from liaison.rules.outreach import care_in_season, notice_reaches, on_duty
from liaison.selectors.outreach import enterprise_notices, own_enterprises
from portal.demo import SeedContext
from portal.demo.context import registered_steps, run_steps, scale_for
from portal.demo.runner import DEFAULT_SEED, discover_steps

pytestmark = pytest.mark.django_db
DEMO_ENTERPRISES = 300
D = datetime.date


def seed(seed=DEFAULT_SEED) -> SeedContext:
    """The registry's steps and this one, at a small size (the step needs no other app's rows)."""
    discover_steps()
    steps = [s for s in registered_steps() if s.name.startswith("portal.") or s.name == "liaison.outreach"]
    ctx = SeedContext(seed=seed, scale=scale_for("city", enterprises=DEMO_ENTERPRISES), log=StringIO().write)
    return run_steps(ctx, steps)


def snapshot() -> dict:
    """The outreach data by natural keys (ids, and reading times reckoned from the clock, differ)."""
    return {
        "lawyers": list(Lawyer.objects.order_by("name").values_list("name", "law_firm", "specialties", "mobile",
                                                                     "resident_since", "resident_until")),
        "consultations": list(Consultation.objects.order_by("consulted_on", "enterprise__uscc", "topic").values_list(
            "enterprise__uscc", "topic", "category", "lawyer__name", "consulted_on", "channel", "status", "outcome")),
        "notices": list(PolicyNotice.objects.order_by("title").values_list(
            "title", "audience", "audience_kind", "audience_industry", "audience_region__code", "status")),
        "receipts": sorted(NoticeReceipt.objects.values_list("notice__title", "enterprise__uscc", "user__username")),
        "care": sorted((a.kind, a.title, a.held_on, a.organizer, a.beneficiaries,
                        tuple(sorted(e.uscc for e in a.enterprises.all())))
                       for a in CareActivity.objects.prefetch_related("enterprises")),
        "mentoring": sorted(MentoringPair.objects.values_list(
            "mentor_kind", "mentor_person__id_number", "mentor_name", "mentee__id_number", "started_on", "ended_on",
            "focus")),
        "sessions": sorted(MentoringSession.objects.values_list("pair__mentee__id_number", "held_on", "topic",
                                                                "attendees")),
    }


@pytest.fixture
def demo(db):
    with transaction.atomic():
        seed()
        first = snapshot()
        transaction.set_rollback(True)
    return seed(), first


def test_the_step_runs_last_of_the_liaison_parts():
    names = [s.name for s in discover_steps()]
    assert names.index("liaison.pairings") < names.index("liaison.appeals") < names.index("liaison.outreach")
    step = next(s for s in registered_steps() if s.name == "liaison.outreach")
    assert step.func is demo_outreach.seed_outreach


def test_twelve_lawyers_of_four_firms_and_consultations_they_could_answer(demo):
    ctx, _first = demo
    today = timezone.localdate()
    lawyers = list(Lawyer.objects.all())
    assert len(lawyers) == 12
    assert len({lw.law_firm for lw in lawyers}) == 4
    assert sum(lw.is_on_duty(today) for lw in lawyers) == 10
    consultations = list(Consultation.objects.select_related("lawyer"))
    assert len(consultations) == 30  # 0.1 per enterprise
    for c in consultations:
        assert D(2024, 1, 1) <= c.consulted_on <= today
        assert on_duty(c.lawyer.resident_since, c.lawyer.resident_until, c.lawyer.is_active, c.consulted_on)
        if c.status == "answered":
            assert c.outcome
            assert c.consulted_on <= c.answered_on <= today
        else:
            assert (c.outcome, c.answered_on) == ("", None)
    assert ("法律咨询", 30) in ctx.summary
    mine = Consultation.objects.filter(enterprise__in=own_enterprises(ctx.users["enterprise"]))
    assert sorted(mine.values_list("status", flat=True)) == ["answered", "open"]


def test_notices_in_every_state_with_receipts_only_where_they_reach(demo):
    ctx, _first = demo
    notices = list(PolicyNotice.objects.select_related("audience_region"))
    assert len(notices) == 21
    assert sorted(n.status for n in notices).count("published") == 19
    assert {n.status for n in notices} == {"draft", "published", "withdrawn"}
    assert {n.audience for n in notices} == {"all", "kind", "key", "industry", "region"}
    now = timezone.now()
    seen = set()
    for receipt in NoticeReceipt.objects.select_related("notice__audience_region", "enterprise__region"):
        notice, enterprise = receipt.notice, receipt.enterprise
        assert notice.status != "draft"
        assert notice_reaches(notice.audience, notice.audience_value, kind=enterprise.kind, is_key=enterprise.is_key,
                              industry=enterprise.industry, region_code=enterprise.region.code)
        assert notice.published_at <= receipt.read_at <= (notice.withdrawn_at or now)
        assert (notice.pk, enterprise.pk) not in seen
        seen.add((notice.pk, enterprise.pk))
    assert ("  阅读回执", len(seen)) in ctx.summary
    assert len(seen) > 1000


def test_the_demo_enterprise_has_read_all_but_its_two_newest_notices(demo):
    ctx, _first = demo
    user = ctx.users["enterprise"]
    enterprise = own_enterprises(user)[0]
    notices = list(enterprise_notices(user=user, enterprise=enterprise))
    assert [n.is_read for n in notices][:2] == [False, False]
    assert all(n.is_read for n in notices[2:])
    assert len(notices) >= 6
    unread = {n.pk for n in notices[:2]}
    assert max(n.published_at for n in notices if n.pk not in unread) < min(n.published_at for n in notices[:2])
    assert set(NoticeReceipt.objects.filter(enterprise=enterprise).values_list("user", flat=True)) == {user.pk}


def test_care_every_summer_and_winter_in_season_for_the_right_enterprises(demo):
    ctx, _first = demo
    today = timezone.localdate()
    activities = list(CareActivity.objects.prefetch_related("enterprises__region"))
    for year in range(2023, today.year + 1):
        for kind, month in (("summer", 7), ("winter", 1)):
            if D(year, month, 28) <= today:
                assert any(a.kind == kind and a.held_on.year == year for a in activities), (kind, year)
    town_prefix = ctx.first_town.prefix
    own_town = [a for a in activities if a.organizer == f"{ctx.first_town.name}党委"]
    assert own_town  # the demo town account's town holds its own activities
    for a in activities:
        enterprises = list(a.enterprises.all())
        assert enterprises
        assert care_in_season(a.kind, a.held_on)
        assert a.held_on <= today
        assert 5 * len(enterprises) <= a.beneficiaries <= 40 * len(enterprises)
    for a in own_town:
        assert all(e.region.code.startswith(town_prefix) for e in a.enterprises.all())


def test_fifteen_mentoring_pairs_of_seniors_and_new_generation_entrepreneurs(demo):
    today = timezone.localdate()
    pairs = list(MentoringPair.objects.select_related("mentor_person", "mentee"))
    assert len(pairs) == 15
    assert {p.mentor_kind for p in pairs} == {"entrepreneur", "retired_cadre"}
    for p in pairs:
        assert p.mentee.is_new_generation
        assert p.mentor_person is None or not p.mentor_person.is_new_generation
        sessions = list(p.sessions.all())
        assert 2 <= len(sessions) <= 6
        for s in sessions:
            assert p.started_on <= s.held_on <= min(p.ended_on or today, today)
    assert len({p.mentee_id for p in pairs}) == 15


def test_the_step_is_deterministic(demo):
    _ctx, first = demo
    assert snapshot() == first
    assert first["receipts"]


def test_another_seed_makes_other_data(db):
    with transaction.atomic():
        seed(seed=7)
        other = snapshot()
        transaction.set_rollback(True)
    seed()
    assert len(other["notices"]) == 21
    assert snapshot() != other
