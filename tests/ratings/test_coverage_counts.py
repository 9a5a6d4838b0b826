"""CoverageCount, the two coverages per region that the database keeps current (ratings migration
0002): after every kind of write — an enterprise created, moved, deleted, in bulk; an organization's
coverage started and ended; an instructor assigned and ended; both at once — the kept counts equal the
counts made from the enterprises themselves, and the coverage page shows the same figures from either."""

import datetime
import threading

import pytest
from django.db import connection, transaction

from portal.models import Enterprise
from ratings import selectors, services
from ratings.models import CoverageCount, InstructorAssignment, OrgCoverage
from ratings.selectors import coverage_by_region, coverage_counts_kept, coverage_counts_live
from tests.factories import EnterpriseFactory, PersonFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 1)


def kept_equals_live():
    kept, live = coverage_counts_kept(), coverage_counts_live()
    assert kept == live
    return kept


def test_the_counts_follow_enterprises_created_moved_and_deleted(world, org_a):
    # given the world: ent_a covered by org_a in village A, ent_b in village B, ent_park at the city
    assert kept_equals_live()[world.village_a.pk] == (1, 1, 0)
    # when an enterprise is created, another created in bulk (one statement), one moved, one deleted
    EnterpriseFactory(name="新建一号有限公司", region=world.village_a)
    Enterprise.objects.bulk_create([EnterpriseFactory.build(name=f"批量{n}有限公司", uscc=f"91510799MA{n:08d}",
                                                            region=world.village_b) for n in range(3)])
    Enterprise.objects.filter(pk=world.ent_a.pk).update(region=world.village_b)
    EnterpriseFactory(name="将删除有限公司", region=world.village_a).delete()
    # then the kept counts are the live ones, the covered enterprise counted where it now is
    kept = kept_equals_live()
    assert kept[world.village_a.pk] == (1, 0, 0)
    assert kept[world.village_b.pk] == (5, 1, 0)


def test_the_counts_follow_coverages_and_instructors_through_the_services(world, org_a):
    instructor = PersonFactory(name="赵指导")
    # when ent_b gets an instructor, then an organization too (organizational wins over work)
    assignment = services.instructor_assign(acting_user=world.org_staff, enterprise=world.ent_b, instructor=instructor,
                                            started_on=DAY)
    assert kept_equals_live()[world.village_b.pk] == (1, 0, 1)
    org = services.organization_create(acting_user=world.org_staff, name="西山党支部", kind="branch",
                                       region=world.village_b, member_count=3)
    coverage = services.coverage_start(acting_user=world.org_staff, organization=org, enterprise=world.ent_b,
                                       started_on=DAY)
    assert kept_equals_live()[world.village_b.pk] == (1, 1, 0)
    # when the organization's coverage ends, the instructor's work coverage shows again; then it ends too
    services.coverage_end(acting_user=world.org_staff, coverage=coverage, ended_on=DAY + datetime.timedelta(days=9))
    assert kept_equals_live()[world.village_b.pk] == (1, 0, 1)
    services.instructor_end(acting_user=world.org_staff, assignment=assignment,
                            ended_on=DAY + datetime.timedelta(days=10))
    assert kept_equals_live()[world.village_b.pk] == (1, 0, 0)
    # and rows changed outside the services (an admin's bulk update, a delete) are followed too
    OrgCoverage.objects.filter(enterprise=world.ent_a).update(ended_on=DAY)
    InstructorAssignment.objects.filter(enterprise=world.ent_b).delete()
    OrgCoverage.objects.filter(enterprise=world.ent_a).update(enterprise=world.ent_b, ended_on=None)
    kept = kept_equals_live()
    assert kept[world.village_a.pk] == (1, 0, 0)
    assert kept[world.village_b.pk] == (1, 1, 0)


def test_the_page_reads_the_kept_counts_for_who_sees_every_enterprise(world, org_a):
    # given counts deliberately off for town A's village (as no write could make them)
    CoverageCount.objects.filter(region=world.village_a).update(enterprises=41)
    # then the organization department's table reads them, a town's staff counts live
    rows = {r.region.name: (r.enterprises, r.organizational, r.work) for r in coverage_by_region(user=world.org_staff)}
    assert rows["东湖镇"] == (41, 1, 0)
    town_rows = {r.region.name: r.enterprises for r in coverage_by_region(user=world.town_staff, parent=world.town_a)}
    assert town_rows == {"东湖村": 1}
    assert selectors.sees_every_enterprise(world.org_staff)
    assert not selectors.sees_every_enterprise(world.town_staff)


def test_where_no_counts_are_kept_the_page_counts_live(world, org_a, monkeypatch):
    # given counts deliberately off, and a database that keeps none (the embedded mode's SQLite: the
    # triggers are PostgreSQL's, its migration creates the table only)
    CoverageCount.objects.filter(region=world.village_a).update(enterprises=41)
    monkeypatch.setattr(selectors, "coverage_counts_maintained", lambda: False)
    # then the organization department's table is counted from the enterprises themselves
    rows = {r.region.name: (r.enterprises, r.organizational, r.work) for r in coverage_by_region(user=world.org_staff)}
    assert rows["东湖镇"][0] == Enterprise.objects.filter(world.town_a.subtree_q()).count() == 1
    assert rows["东湖镇"][0] != 41


@pytest.mark.django_db(transaction=True)
def test_concurrent_coverage_changes_of_one_enterprise_count_once_each(world):
    # given ent_b with an instructor; two transactions at once: one ends the instructor, the other
    # starts an organization's coverage (each alone would shift work → none, and work → organizational)
    assignment = InstructorAssignment.objects.create(instructor=PersonFactory(name="钱指导"), enterprise=world.ent_b,
                                                     started_on=DAY)
    org = services.organization_create(acting_user=world.org_staff, name="西山党支部", kind="branch",
                                       region=world.village_b, member_count=3)
    barrier = threading.Barrier(2)

    def end_instructor():
        try:
            with transaction.atomic():
                InstructorAssignment.objects.filter(pk=assignment.pk).update(ended_on=DAY)
                barrier.wait(timeout=10)
        finally:
            connection.close()

    def start_coverage():
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                OrgCoverage.objects.create(organization=org, enterprise=world.ent_b, started_on=DAY)
        finally:
            connection.close()

    threads = [threading.Thread(target=end_instructor), threading.Thread(target=start_coverage)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # then the kept counts are the live ones: organizational, no work coverage
    assert kept_equals_live()[world.village_b.pk] == (1, 1, 0)
