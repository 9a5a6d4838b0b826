"""The talent demo: the policy package, two bases (深圳, 上海), the seed document's projects, talents and
their benefit applications in every state, and yearly totals that add up, as the services would have
left them."""

import re
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Sum
from django.utils import timezone

from portal.models import Enterprise
from portal.rules import check_id_number, check_mobile
from talent import rules, selectors
from talent.choices import BenefitStatus, PolicyCategory, RegistrationKind
from talent.models import (
    BenefitApplication,
    IncubationBase,
    InnovationProject,
    IPServiceAction,
    PlatformRegistration,
    PolicyItem,
    Talent,
    TrainingSession,
)

pytestmark = pytest.mark.django_db
ENTERPRISES = 600


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", "--enterprises", str(ENTERPRISES), stdout=open("/dev/null", "w"))  # noqa: SIM115
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def user(name):
    return get_user_model().objects.get(username=name)


def test_the_policy_package_has_its_five_parts(seeded):
    assert PolicyItem.objects.count() == 14
    assert set(PolicyItem.objects.values_list("category", flat=True)) == set(PolicyCategory.values)
    assert PolicyItem.objects.get(name="A类人才购房补贴").amount == 500000
    assert PolicyItem.objects.filter(amount__isnull=True).count() == 5  # the services: no money
    for item in PolicyItem.objects.all():
        assert rules.normalize_levels(item.levels) == item.levels


def test_two_bases_in_shenzhen_and_shanghai_holding_talents_and_projects(seeded):
    assert sorted(IncubationBase.objects.values_list("city", flat=True)) == ["上海", "深圳"]
    for base in IncubationBase.objects.annotate(t=Count("talents"), p=Count("projects", distinct=True)):
        assert base.t > 0
        assert base.p > 0


def test_the_seed_documents_projects_landed(seeded):
    landed = dict(InnovationProject.objects.filter(status="landed").values_list("name", "partner"))
    assert landed == {
        "清华大学星湖乡村振兴工作站": "清华大学", "电子科大三星湖传感技术产业研究院": "电子科技大学",
        "中国仪器仪表学会星湖联合创新中心": "中国仪器仪表学会", "国科（星湖）智能传感谷": "国科星湖智能科技有限公司",
        "泛普科技西南总部": "泛普科技有限公司",
    }
    assert not InnovationProject.objects.filter(status="landed", landed_on__isnull=True).exists()
    assert set(InnovationProject.objects.values_list("status", flat=True)) == {"negotiating", "signed", "building",
                                                                            "landed"}


def test_about_one_talent_per_ten_enterprises_with_valid_masked_people(seeded):
    assert Talent.objects.count() == max(200, Enterprise.objects.count() // 10) == 200
    people = Talent.objects.values_list("person__id_number", "person__mobile")
    assert all(check_id_number(i).ok and check_mobile(m).ok for i, m in people)
    levels = Counter(Talent.objects.values_list("level", flat=True))
    assert set(levels) == {"A", "B", "C", "D", "E"}
    assert levels["E"] > levels["A"]
    assert set(Talent.objects.values_list("source", flat=True)) == {"institute", "university", "park", "other"}


def test_applications_in_every_state_as_the_services_leave_them(seeded):
    assert set(BenefitApplication.objects.values_list("status", flat=True)) == set(BenefitStatus.values)
    for app in BenefitApplication.objects.select_related("item", "talent").prefetch_related("events"):
        assert rules.level_eligible(app.level, app.item.levels)
        assert app.item_amount == app.item.amount
        if app.amount_requested is not None:
            assert 0 < app.amount_requested <= app.item_amount
        if app.amount_approved is not None:
            assert app.status == "approved"
            assert app.amount_approved <= app.amount_requested
        assert app.reference == rules.reference_for(timezone.localtime(app.submitted_at).year, app.pk)
        events = list(app.events.all())
        assert events[0].action == "submit"
        assert events[-1].to_status == app.status
        assert [e.at for e in events] == sorted(e.at for e in events)
        assert (app.status == "pending") == (app.version == 1)
    rejected = BenefitApplication.objects.filter(status="rejected")
    assert all(len(note) >= 5 for note in rejected.values_list("decision_note", flat=True))


def test_the_demo_accounts_have_work(seeded):
    queue = selectors.benefit_application_list(user=user("orgstaff")).filter(status="pending")
    assert queue.count() > 0
    mine = selectors.benefit_application_list(user=user("enterprise"))
    assert set(mine.values_list("status", flat=True)) == set(BenefitStatus.values)
    own = user("enterprise").role_assignments.get().enterprise
    assert selectors.talent_list(user=user("enterprise")).filter(employer=own).count() == 4
    assert selectors.talent_list(user=user("cadre")).count() == 0


def test_training_totals_by_year_add_up(seeded):
    totals = selectors.training_totals_by_year(TrainingSession.objects.all())
    years, overall = totals[:-1], totals[-1]
    assert [t["year"] for t in years] == [2026, 2025, 2024, 2023, 2022, 2021, 2020]
    assert sum(t["sessions"] for t in years) == overall["sessions"] == TrainingSession.objects.count()
    assert sum(t["trainees"] for t in years) == overall["trainees"] == \
        TrainingSession.objects.aggregate(n=Sum("trainees"))["n"]
    links = TrainingSession.enterprises.through.objects
    assert overall["enterprises"] == links.values("enterprise").distinct().count()
    for t in years:
        assert t["enterprises"] == links.filter(trainingsession__held_on__year=t["year"]).values(
            "enterprise").distinct().count()


def test_platform_registrations_are_counted_from_their_rows(seeded):
    totals = selectors.registration_totals_by_year(PlatformRegistration.objects.all())
    assert [t["year"] for t in totals] == [2020, 2021, 2022, 2023, 2024, 2025, 2026]
    units = PlatformRegistration.objects.filter(kind=RegistrationKind.ENTERPRISE)
    assert totals[-1]["enterprises_to_date"] == units.count() == ENTERPRISES // 10
    assert totals[-1]["talents_to_date"] == PlatformRegistration.objects.filter(
        kind=RegistrationKind.TALENT).aggregate(n=Sum("count"))["n"]
    assert totals[-1]["talents_to_date"] > 5 * units.count()


def test_ip_actions_from_2021_to_2026(seeded):
    years = sorted(set(IPServiceAction.objects.values_list("held_on__year", flat=True)))
    assert years == [2021, 2022, 2023, 2024, 2025, 2026]
    assert set(IPServiceAction.objects.values_list("partner", flat=True)) == {"国家知识产权局专利局审查协作中心",
                                                                             "省知识产权服务中心"}
    assert all(re.match(r"^知识产权惠企入园·", t) for t in IPServiceAction.objects.values_list("title", flat=True))
