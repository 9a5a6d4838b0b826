"""The star rating's demo data (ratings/demo.py): Party organizations, seven published cycles with the
domain's headline figure (6 four- and five-star organizations in 2019, 31 in 2022) and a live 2026
cycle with a rating in every status.

The whole module reads one city-scale run (a few seconds), made once: the fixture seeds, keeps a
snapshot, rolls that run back and seeds again, so the determinism test compares two real runs. The
second run stays for the other tests and is rolled back at the end of the module; each test runs in
its own savepoint inside it, so a test that writes leaves nothing for the next.
"""

import datetime
from collections import defaultdict
from decimal import Decimal
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone

from portal.choices import EnterpriseKind
from portal.models import Enterprise, Person, RoleAssignment
from portal.rules import check_id_number
from ratings import default_rubric, rules, selectors, services
from ratings.choices import ObjectionStatus, OrgKind, RatingAction, RatingStatus, RubricStatus, Standing
from ratings.models import (
    Cycle,
    InstructorAssignment,
    ItemScore,
    Objection,
    OrgCoverage,
    PartyOrganization,
    Rating,
    RatingEvent,
    Rubric,
)
from ratings.services import ScoreInput
from ratings.services.workflow import _result as service_result

pytestmark = pytest.mark.django_db

S, A = RatingStatus, RatingAction
YEARS = range(2019, 2026)
# Published four- and five-star ratings per cycle at city scale (the domain's figure: 6 → 31).
HIGH_STARS = {2019: 6, 2020: 11, 2021: 19, 2022: 31, 2023: 44, 2024: 58, 2025: 73}
RATED = {2019: 100, 2020: 139, 2021: 176, 2022: 212, 2023: 242, 2024: 267, 2025: 288}
LIVE = {S.SELF: 106, S.TOWN: 36, S.DEPT: 24, S.NOTICE: 9, S.REJECTED: 1}
PUBLISHED_ON = {2019: datetime.date(2020, 1, 10), 2020: datetime.date(2021, 1, 8), 2021: datetime.date(2022, 1, 8),
                2022: datetime.date(2023, 1, 6), 2023: datetime.date(2024, 1, 6), 2024: datetime.date(2025, 1, 6),
                2025: datetime.date(2026, 1, 5)}


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """The rating data by natural keys (ids differ between runs, the data must not)."""
    return {
        "organizations": list(PartyOrganization.objects.order_by("name").values_list(
            "name", "kind", "region__code", "secretary__name", "secretary__id_number", "member_count", "founded_on")),
        "coverages": list(OrgCoverage.objects.order_by("enterprise__uscc", "started_on").values_list(
            "organization__name", "enterprise__uscc", "started_on", "ended_on")),
        "instructors": list(InstructorAssignment.objects.order_by("enterprise__uscc").values_list(
            "instructor__name", "instructor__id_number", "enterprise__uscc", "started_on")),
        "ratings": list(Rating.objects.order_by("cycle__year", "organization__name").values_list(
            "cycle__year", "organization__name", "status", "score", "stars", "vetoes", "stage_results",
            "step_entered_on", "notice_starts_on", "notice_ends_on", "valid_from", "valid_to", "revoked_on",
            "revoke_reason", "version", "created_at", "updated_at")),
        "events": list(RatingEvent.objects.order_by("rating__cycle__year", "rating__organization__name", "at").values_list(
            "rating__organization__name", "action", "stage", "from_status", "to_status", "actor__username",
            "actor_name", "at", "comment", "before", "after")),
        "items": list(ItemScore.objects.order_by("rating__cycle__year", "rating__organization__name", "stage",
                                                 "item__order").values_list("points", "vetoed", "note")),
        "objections": list(Objection.objects.values_list("rating__organization__name", "name", "contact", "reason",
                                                         "status", "lodged_at")),
    }


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        with transaction.atomic():
            seed()
            first = snapshot()
            transaction.set_rollback(True)
        out = seed()
        # Check the deferred foreign keys of the run once, here: left pending, they would be checked
        # again at the end of every test (TestCase's teardown), seconds each.
        connection.check_constraints()
        yield SimpleNamespace(first=first, second=snapshot(), out=out)
        transaction.set_rollback(True)


def user(username):
    return get_user_model().objects.get(username=username)


def organization_of(enterprise):
    return OrgCoverage.objects.get(enterprise=enterprise, ended_on__isnull=True).organization


def test_four_and_five_star_organizations_grow_from_6_in_2019_to_31_in_2022(city):
    # When we count the published (not revoked) ratings with four or five stars, cycle by cycle
    high = dict(Rating.objects.filter(status=S.PUBLISHED, stars__gte=4).values_list("cycle__year")
                .annotate(n=Count("pk")).order_by("cycle__year"))

    # Then there are exactly 6 in 2019 and 31 in 2022, more every year
    assert high == HIGH_STARS
    assert all(high[year] < high[year + 1] for year in range(2019, 2025))
    # and the leaders' trend reads the same figures
    trend = selectors.star_trend(user=user("orgstaff"))
    assert {row["year"]: row["high"] for row in trend} == HIGH_STARS
    # and the run's summary says so
    lines = [line.split() for line in city.out.splitlines()]
    assert ["四星及以上", "2019", "6"] in lines
    assert ["四星及以上", "2022", "31"] in lines


def test_more_organizations_are_rated_every_year_and_most_by_2025(city):
    # When we count each cycle's ratings that were published (one of 2025 was revoked later)
    rated = dict(Rating.objects.filter(cycle__year__lte=2025).values_list("cycle__year")
                 .annotate(n=Count("pk")).order_by("cycle__year"))

    # Then about a hundred in 2019, growing to nearly all the organizations
    assert rated == RATED
    assert rated[2025] / PartyOrganization.objects.count() > 0.9
    assert set(Rating.objects.filter(cycle__year__lte=2025).values_list("status", flat=True)) == {
        S.PUBLISHED, S.REVOKED}
    # and once rated, an organization is rated every year after
    years = defaultdict(list)
    for org, year in Rating.objects.filter(cycle__year__lte=2025).values_list("organization", "cycle__year"):
        years[org].append(year)
    assert all(sorted(y) == list(range(min(y), 2026)) for y in years.values())


def test_organizations_cover_a_realistic_share_of_enterprises(city):
    private = Enterprise.objects.filter(kind=EnterpriseKind.PRIVATE).count()
    kinds = dict(PartyOrganization.objects.values_list("kind").annotate(n=Count("pk")))

    # Then about 11% of private enterprises have their own organization, mostly branches, and the
    # largest firms a Party committee
    own = kinds[OrgKind.BRANCH] + kinds[OrgKind.GENERAL_BRANCH] + kinds[OrgKind.COMMITTEE]
    assert 0.10 <= own / private <= 0.12
    assert kinds == {OrgKind.COMMITTEE: 8, OrgKind.GENERAL_BRANCH: 33, OrgKind.BRANCH: 232, OrgKind.JOINT_BRANCH: 30}
    committee_sizes = [c.enterprise.employees for c in OrgCoverage.objects.filter(organization__kind=OrgKind.COMMITTEE)]
    branch_sizes = [c.enterprise.employees for c in OrgCoverage.objects.filter(organization__kind=OrgKind.BRANCH)]
    assert min(committee_sizes) > max(branch_sizes) / 2
    # and an own organization sits where its enterprise is registered and was founded after it
    for coverage in OrgCoverage.objects.exclude(organization__kind=OrgKind.JOINT_BRANCH).select_related(
            "organization", "enterprise"):
        if coverage.ended_on is None:
            assert coverage.organization.region_id == coverage.enterprise.region_id
            assert coverage.started_on == coverage.organization.founded_on
        assert coverage.started_on >= coverage.enterprise.founded_on
    # and each joint branch covers 3 to 6 small firms of its town, and sits at the town
    for joint in PartyOrganization.objects.filter(kind=OrgKind.JOINT_BRANCH).select_related("region"):
        current = [c for c in joint.coverages.select_related("enterprise__region") if c.ended_on is None]
        assert 3 <= len(current) <= 6, joint.name
        assert joint.region.level == "town"
        assert all(c.enterprise.region.code.startswith(joint.region.prefix) for c in current)
        assert all(c.enterprise.employees <= 50 and c.started_on >= joint.founded_on for c in current)
        assert joint.name.endswith("联合党支部")
    # and every organization has a secretary, members in its kind's range and a founding date 2005–2018
    ranges = {OrgKind.COMMITTEE: (50, 80), OrgKind.GENERAL_BRANCH: (25, 49), OrgKind.BRANCH: (3, 24),
              OrgKind.JOINT_BRANCH: (5, 30)}
    for org in PartyOrganization.objects.all():
        assert org.secretary_id is not None
        low, high = ranges[org.kind]
        assert low <= org.member_count <= high, org.name
        assert datetime.date(2005, 1, 1) <= org.founded_on <= datetime.date(2018, 12, 31)
    # and a few enterprises have a coverage history: five grew out of a joint branch into their own
    # organization the day before it was founded, three left one and have none now
    ended = OrgCoverage.objects.filter(ended_on__isnull=False).select_related("organization", "enterprise")
    assert {c.organization.kind for c in ended} == {OrgKind.JOINT_BRANCH}
    grown = [c for c in ended if OrgCoverage.objects.filter(enterprise=c.enterprise, ended_on__isnull=True).exists()]
    assert len(grown) == 5
    assert all(c.ended_on == organization_of(c.enterprise).founded_on - datetime.timedelta(days=1) for c in grown)
    assert len(ended) - len(grown) == 3


def test_instructors_serve_about_one_in_twenty_enterprises_without_an_organization(city):
    covered = OrgCoverage.objects.filter(ended_on__isnull=True).values("enterprise")
    uncovered = Enterprise.objects.exclude(pk__in=covered).count()
    assignments = InstructorAssignment.objects.select_related("enterprise", "instructor")

    # Then 5% of the enterprises with no organization have an instructor, and none of the others
    assert assignments.count() == round(0.05 * uncovered)
    assert not assignments.filter(enterprise__in=covered).exists()
    assert all(a.started_on > a.enterprise.founded_on for a in assignments)
    # and an instructor serves one to three firms
    loads = InstructorAssignment.objects.values("instructor").annotate(n=Count("pk")).values_list("n", flat=True)
    assert set(loads) <= {1, 2, 3}


def test_new_people_have_valid_unique_id_numbers(city):
    # Given the secretaries and instructors the ratings step made
    made = Person.objects.filter(enterprise_links__isnull=True).distinct()
    assert made.filter(pk__in=PartyOrganization.objects.values("secretary")).exists()
    assert made.filter(pk__in=InstructorAssignment.objects.values("instructor")).exists()

    # Then their ID numbers pass GB 11643 and no two people in the registry share one
    numbers = list(made.values_list("id_number", flat=True))
    assert [n for n in numbers if not check_id_number(n).ok] == []
    everyone = [n for n in Person.objects.values_list("id_number", flat=True) if n]
    assert len(set(everyone)) == len(everyone)
    # and some organizations have the firm's own legal representative as secretary
    assert PartyOrganization.objects.filter(secretary__enterprise_links__link="legal").exists()


def test_the_default_rubric_is_published_and_every_cycle_uses_it(city):
    rubric = Rubric.objects.get()

    # Then it is the default rubric, published, 100 points in 20 items and 4 veto items
    assert (rubric.name, rubric.version, rubric.status) == (default_rubric.NAME, 1, RubricStatus.PUBLISHED)
    assert rubric.dimensions.count() == 6
    scored = rubric.items.filter(is_veto=False)
    assert scored.count() == 20
    assert scored.aggregate(total=Sum("max_points"))["total"] == Decimal("100")
    assert rubric.items.filter(is_veto=True).count() == 4
    # and the cycles 2019–2026 use it, each open from March 1
    cycles = {c.year: c for c in Cycle.objects.all()}
    assert sorted(cycles) == [*YEARS, 2026]
    assert {c.rubric_id for c in cycles.values()} == {rubric.pk}
    assert (cycles[2019].opens_on, cycles[2019].closes_on) == (datetime.date(2019, 3, 1), datetime.date(2019, 10, 31))
    assert (cycles[2026].opens_on, cycles[2026].closes_on) == (datetime.date(2026, 3, 1), datetime.date(2026, 12, 31))
    assert cycles[2019].name == "2019 年度星级评定"


def test_stars_agree_with_scores_and_item_scores_add_up_to_them(city):
    thresholds = Rubric.objects.get().thresholds
    ratings = Rating.objects.exclude(score__isnull=True)
    sums = {(row["rating"], row["stage"]): row for row in ItemScore.objects.filter(item__is_veto=False)
            .values("rating", "stage").annotate(total=Sum("points"), n=Count("pk"))}
    vetoes = dict(ItemScore.objects.filter(item__is_veto=True).values("rating").annotate(n=Count("pk"))
                  .values_list("rating", "n"))

    for rating in ratings.select_related("cycle"):
        # Then a rating's stars are its score's stars (only a refusal carries a veto, and no stars)
        if rating.vetoes:
            assert (rating.status, rating.stars) == (S.REJECTED, None)
        else:
            assert rating.stars == rules.stars_for_score(rating.score, thresholds), rating.pk
        # and each stage's stored result has the stars of its total
        for stage, result in rating.stage_results.items():
            if not result["vetoes"]:
                assert result["stars"] == rules.stars_for_score(Decimal(result["total"]), thresholds)
            # and where the stage's item scores are kept, the 20 scored items add up to its total
            row = sums.get((rating.pk, stage))
            if row is not None:
                assert (row["n"], row["total"]) == (20, Decimal(result["total"])), (rating.pk, stage)
        # and a published rating's score is the department's total
        if rating.status in (S.PUBLISHED, S.REVOKED):
            assert str(rating.score) == rating.stage_results["dept"]["total"]
            assert (rating.pk, "dept") in sums
            assert vetoes[rating.pk] == 4 * len([s for s in ("self", "town", "dept") if (rating.pk, s) in sums])
    # and the last published cycle and the live one keep every stage's item scores
    for rating in ratings.filter(cycle__year__gte=2025):
        assert {s for s in ("self", "town", "dept") if (rating.pk, s) in sums} == set(rating.stage_results)
    # and no item scores more than its maximum, nor less than nothing, nor more than one decimal
    assert not ItemScore.objects.filter(points__gt=F("item__max_points")).exists()
    assert not ItemScore.objects.filter(points__lt=0).exists()
    assert not ItemScore.objects.filter(item__is_veto=False, points__isnull=True).exists()
    # and a later stage is never stricter on an item than the department
    dept = {(s.rating_id, s.item_id): s.points for s in ItemScore.objects.filter(stage="dept", item__is_veto=False)}
    assert all(s.points >= dept[s.rating_id, s.item_id]
               for s in ItemScore.objects.filter(stage__in=("self", "town"), item__is_veto=False)
               if (s.rating_id, s.item_id) in dept)


def test_validity_periods_of_one_organization_never_overlap(city):
    published = Rating.objects.filter(status__in=(S.PUBLISHED, S.REVOKED)).select_related("cycle")
    by_org = defaultdict(list)
    for rating in published:
        by_org[rating.organization_id].append(rating)

    superseded = 0
    for ratings in by_org.values():
        ratings.sort(key=lambda r: r.valid_from)
        for older, newer in zip(ratings, ratings[1:], strict=False):
            # Then each rating ends before the next begins, the day before when it was superseded
            assert older.valid_to < newer.valid_from
            full = rules.validity_period(older.valid_from, 12)[1]
            if full >= newer.valid_from:
                assert older.valid_to == newer.valid_from - datetime.timedelta(days=1)
                assert older.events.filter(action=A.SUPERSEDE).count() == 1
                superseded += 1
            else:
                assert older.valid_to == full
                assert newer.valid_from == full + datetime.timedelta(days=1)  # they follow on, no gap
                assert not older.events.filter(action=A.SUPERSEDE).exists()
    # and the cycles named a day earlier than the year before (2020, 2022, 2025) superseded the older
    assert superseded == RATED[2019] + RATED[2021] + RATED[2024]
    # and every rating was named on its cycle's day and is valid for twelve months
    for rating in published:
        assert rating.valid_from == rating.step_entered_on == PUBLISHED_ON[rating.cycle.year]
        assert rating.notice_ends_on < rating.valid_from
        if rating.cycle.year == 2025:
            assert rating.valid_to == rules.validity_period(rating.valid_from, 12)[1]


def test_every_rating_has_the_history_the_services_write(city):
    orgstaff = user("orgstaff")
    ratings = Rating.objects.select_related("cycle").prefetch_related("events")

    for rating in ratings:
        events = list(rating.events.all())
        # Then each step bumped the version once, and the statuses follow one another
        assert rating.version == 1 + len(events), rating.pk
        assert (events[0].action, events[0].from_status) == (A.START, "")
        for previous, event in zip(events, events[1:], strict=False):
            assert event.from_status == previous.to_status
            assert event.at > previous.at
        assert events[-1].to_status == rating.status
        # and the last event's result is the rating as it stands
        if events[-1].after is not None:
            after = {k: v for k, v in events[-1].after.items() if k != "scores"}
            assert after == service_result(rating), rating.pk
        assert rating.created_at == events[0].at
        if rating.cycle.year > 2025:
            continue
        # and a published rating went start, submit, town and department approval, publication
        actions = [e.action for e in events]
        assert actions[:5] == [A.START, A.SUBMIT, A.APPROVE, A.APPROVE, A.PUBLISH]
        assert [e.stage for e in events[1:4]] == ["self", "town", "dept"]
        assert set(actions[5:]) <= {A.SUPERSEDE, A.REVOKE}
        assert rating.cycle.opens_on <= timezone.localtime(events[0].at).date()
        assert timezone.localtime(events[1].at).date() <= rating.cycle.closes_on
        assert timezone.localtime(events[3].at).date() == rating.notice_starts_on
        assert timezone.localtime(events[4].at).date() == rating.valid_from
        assert events[3].actor == events[4].actor == orgstaff
        assert events[3].after["scores"]["1.1"] is not None
        assert events[3].after["scores"]["V1"] is None
    # and the town staff account reviewed its own town's ratings
    town = RoleAssignment.objects.get(user__username="townstaff").region
    reviewed = RatingEvent.objects.filter(actor__username="townstaff")
    assert reviewed.exists()
    assert all(e.rating.organization.region.code.startswith(town.prefix) for e in reviewed.select_related(
        "rating__organization__region"))


def test_the_2026_cycle_has_a_rating_in_every_status(city):
    live = Rating.objects.filter(cycle__year=2026)

    # Then every workflow status is there, and nothing has been published yet
    assert dict(live.values_list("status").annotate(n=Count("pk"))) == LIVE
    # and a self-assessment that was saved shows its scores, a blank one none
    selfs = live.filter(status=S.SELF)
    assert selfs.filter(score__isnull=False).exists()
    assert selfs.filter(score__isnull=True).exists()
    # and the ratings at the town and the department carry the stages they passed
    assert all(set(r.stage_results) == {"self"} for r in live.filter(status=S.TOWN))
    assert all(set(r.stage_results) == {"self", "town"} for r in live.filter(status=S.DEPT))
    assert all(set(r.stage_results) == {"self", "town", "dept"} for r in live.filter(status=S.NOTICE))


def test_town_staff_have_a_queue_with_some_ratings_overdue(city):
    townstaff = user("townstaff")
    cycle = Cycle.objects.get(year=2026)

    # When the town staff account looks at its queue today
    queue = list(selectors.rating_queue(user=townstaff, status=S.TOWN))
    overdue = selectors.overdue_ratings(user=townstaff, cycle=cycle).filter(status=S.TOWN)

    # Then several ratings of its town wait, two of them for more than fifteen days
    assert len(queue) == 5
    assert overdue.count() == 2
    assert all(r.step_entered_on > timezone.localdate() - datetime.timedelta(days=15)
               for r in queue if r not in overdue)


def test_notices_run_today_and_the_ended_one_is_due_for_publication(city):
    today = timezone.localdate()
    notices = Rating.objects.filter(cycle__year=2026, status=S.NOTICE)

    # Then the public notice page shows the running notices (the real date: see ratings/demo.py)
    shown = list(selectors.notice_list())
    assert len(shown) == notices.count() - 1 == 8
    assert all(r.notice_starts_on < today <= r.notice_ends_on for r in shown)
    # and one notice ended a few days ago: the periodic task publishes it, and it supersedes the 2025
    # rating of its organization (while that one runs, that is until January 2027)
    due = list(selectors.due_for_publication(user=user("orgstaff")))
    assert len(due) == 1
    report = services.ratings_publish_due()
    assert report.published == [due[0].pk]
    published = Rating.objects.get(pk=due[0].pk)
    assert (published.status, published.valid_from) == (S.PUBLISHED, today)
    older = Rating.objects.get(organization=published.organization, cycle__year=2025)
    full = rules.validity_period(older.valid_from, 12)[1]
    assert older.valid_to == min(full, today - datetime.timedelta(days=1))


def test_one_notice_has_an_open_objection_that_holds_it(city):
    objection = Objection.objects.select_related("rating").get()
    rating = objection.rating

    # Then it is open, in Chinese, lodged during the rating's notice, which runs today
    assert objection.status == ObjectionStatus.OPEN
    assert 2 <= len(objection.name) <= 4
    assert objection.reason.startswith("该企业")
    assert (objection.contact.isdigit(), len(objection.contact)) == (True, 11)
    assert rating.status == S.NOTICE
    lodged = timezone.localtime(objection.lodged_at).date()
    assert rating.notice_starts_on <= lodged <= timezone.localdate() <= rating.notice_ends_on
    assert objection.lodged_at < timezone.now()
    # and the rating's history records it
    event = rating.events.get(action=A.OBJECTION)
    assert (event.actor, event.actor_name, event.comment) == (None, "公众", objection.reason)
    # and the staff see it, and its rating is not published while it is open
    assert list(selectors.objection_list(user=user("orgstaff"))) == [objection]
    assert rating.pk in services.ratings_publish_due(rating_ids=[rating.pk]).skipped


def test_one_three_star_rating_of_2025_was_revoked(city):
    revoked = Rating.objects.select_related("cycle", "organization").get(status=S.REVOKED)

    # Then it is a three-star rating of 2025, revoked in March 2026 for a major safety accident
    assert (revoked.cycle.year, revoked.stars) == (2025, 3)
    assert revoked.revoked_on == datetime.date(2026, 3, 18)
    assert "重大安全生产事故" in revoked.revoke_reason
    event = revoked.events.last()
    assert (event.action, event.actor.username, event.comment) == (A.REVOKE, "orgstaff", revoked.revoke_reason)
    # and from that day its enterprises have no valid rating: finance and insurance see "revoked"
    enterprise = OrgCoverage.objects.filter(organization=revoked.organization, ended_on__isnull=True).first().enterprise
    assert selectors.enterprise_rating(enterprise, on=datetime.date(2026, 3, 17)).stars == 3
    assert selectors.enterprise_rating(enterprise, on=datetime.date(2026, 3, 18)).standing == Standing.REVOKED
    # and it is not in the 2026 cycle
    assert not Rating.objects.filter(organization=revoked.organization, cycle__year=2026).exists()


def test_one_2026_rating_was_rejected_at_the_town_for_a_veto(city):
    rejected = Rating.objects.get(status=S.REJECTED)

    # Then the town's sheet triggered the safety veto, which voids the stars
    assert rejected.cycle.year == 2026
    assert (rejected.stars, rejected.vetoes) == (None, ["V2"])
    assert rejected.stage_results["town"]["stars"] is None
    veto = rejected.item_scores.get(stage="town", vetoed=True)
    assert veto.item.code == "V2"
    assert veto.note.startswith("2026年")
    # and the history shows the town saving its sheet, then refusing with a reason
    actions = list(rejected.events.values_list("action", "stage", flat=False))
    assert actions == [(A.START, ""), (A.SUBMIT, "self"), (A.SAVE, "town"), (A.REJECT, "town")]
    assert "一票否决" in rejected.events.get(action=A.REJECT).comment


def test_the_enterprise_demo_user_has_a_history_and_can_assess_itself(city):
    account = user("enterprise")
    enterprise = RoleAssignment.objects.get(user=account).enterprise
    org = organization_of(enterprise)

    # Then its organization has been rated every year since 2019, climbing from three stars to five
    history = list(org.ratings.filter(cycle__year__lte=2025).order_by("cycle__year").values_list("cycle__year", "stars"))
    assert history == [(2019, 3), (2020, 3), (2021, 4), (2022, 4), (2023, 4), (2024, 5), (2025, 5)]
    assert selectors.enterprise_rating(enterprise, on=datetime.date(2026, 6, 1)).stars == 5
    # and its 2026 self-assessment is in the user's queue, blank, started by the user
    rating = Rating.objects.get(organization=org, cycle__year=2026)
    assert (rating.status, rating.score) == (S.SELF, None)
    assert list(selectors.rating_queue(user=account, status=S.SELF)) == [rating]
    assert rating.events.get().actor == account

    # When the user submits a full sheet through the service, on a day the cycle is open (today
    # while the 2026 cycle runs, which is what the demo is for)
    items = Rubric.objects.get().items.filter(is_veto=False)
    sheet = ScoreInput(points={i.code: str(i.max_points - 1) for i in items})
    day = min(timezone.localdate(), rating.cycle.closes_on)
    after = services.rating_transition(acting_user=account, rating=rating, action=A.SUBMIT,
                                       expected_version=rating.version, scores=sheet, today=day)

    # Then it goes to the town with 80 points and four stars
    assert (after.status, after.score, after.stars) == (S.TOWN, Decimal("80.0"), 4)


def test_same_seed_gives_the_same_rating_data(city):
    # Given two city runs with the default seed (the first rolled back)
    # Then they made the same organizations, coverages, ratings, events, item scores and objections
    assert city.first == city.second
    assert len(city.first["ratings"]) == sum(RATED.values()) + sum(LIVE.values())
    assert len(city.first["objections"]) == 1


def test_every_deduction_of_a_review_step_says_why(city):
    # the reviews the demo writes follow the rule the score sheet enforces (a deduction needs its note)
    deductions = ItemScore.objects.filter(stage__in=("town", "dept"), item__is_veto=False,
                                          points__lt=F("item__max_points"))
    assert deductions.exists()
    assert not deductions.filter(note="").exists()
    assert not ItemScore.objects.filter(stage="self").exclude(note="").filter(item__is_veto=False).exists()
