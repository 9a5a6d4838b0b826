# ruff: noqa: F811  (`aworld` is a pytest fixture imported from fixtures_appeals; tests name it as a parameter)
"""Escalation of overdue appeals (超期督办), by the service and by the nightly task: to the enterprise's
paired cadres of the day and the organization department, once per level, idempotent."""

import datetime

import pytest

from liaison.choices import CadreLevel
from liaison.models import Appeal, AppealEscalation, AppealEvent, Cadre, Pairing
from liaison.services.appeals import appeal_escalate_overdue
from liaison.tasks import appeal_escalate_overdue_task
from portal.models import AuditLog, EnterprisePerson
from tests.factories import EnterpriseFactory

from .fixtures_appeals import RESOLUTION, aworld, create, step, today  # noqa: F401  (aworld is a fixture)

pytestmark = pytest.mark.django_db


def days(n):
    return today() + datetime.timedelta(days=n)


def state():
    return (list(AppealEscalation.objects.order_by("pk").values_list("appeal_id", "level")),
            AppealEvent.objects.filter(action="escalate").count(),
            AuditLog.objects.filter(action="appeal.escalate").count(),
            list(Appeal.objects.order_by("pk").values_list("pk", "escalation_level")))


def test_an_overdue_appeal_goes_to_its_paired_cadre_and_the_organization_department(aworld):
    # given overdue_a (ent_a, deadline five days ago), and the others in time
    w = aworld
    # when the escalation runs today
    counts = appeal_escalate_overdue(today=today())
    # then only overdue_a is escalated, at level 1, to 吴国平 (paired with ent_a) and the department
    assert counts == {"level_1": 1, "level_2": 0, "escalated": 1}
    escalation = AppealEscalation.objects.get()
    assert (escalation.appeal_id, escalation.level, escalation.reason, escalation.days_overdue,
            escalation.escalated_on, escalation.to_org_department) == (w.overdue_a.pk, 1, "overdue", 5, today(), True)
    assert list(escalation.cadres.all()) == [w.cadre_a_obj]
    appeal = Appeal.objects.get(pk=w.overdue_a.pk)
    assert (appeal.escalation_level, appeal.escalated_at is not None, appeal.version) == (1, True, w.overdue_a.version)
    event = appeal.events.get(action="escalate")
    assert (event.actor_id, event.actor_name, event.from_status, event.to_status) == (None, "系统", "assigned",
                                                                                       "assigned")
    assert event.note == "一级督办：超过办理期限 5 天；督办：吴国平、组织部（两新工委）"
    log = AuditLog.objects.get(action="appeal.escalate")
    assert (log.actor_name, log.before, log.after["escalation_level"]) == (
        "system", {"escalation_level": 0, "escalated_at": None}, 1)
    assert Appeal.objects.exclude(pk=w.overdue_a.pk).filter(escalation_level__gt=0).count() == 0


def test_running_twice_the_same_day_changes_nothing(aworld):
    appeal_escalate_overdue(today=today())
    before = state()
    assert appeal_escalate_overdue(today=today()) == {"level_1": 0, "level_2": 0, "escalated": 0}
    assert state() == before


def test_level_2_seven_days_after_level_1_with_the_secretary(aworld):
    w = aworld
    appeal_escalate_overdue(today=today())
    # two days on (7 days late) nothing more; three days on (8 days late) level 2
    assert appeal_escalate_overdue(today=days(2))["escalated"] == 0
    assert appeal_escalate_overdue(today=days(3)) == {"level_1": 0, "level_2": 1, "escalated": 1}
    second = AppealEscalation.objects.get(level=2)
    assert (second.appeal_id, second.days_overdue, second.escalated_on) == (w.overdue_a.pk, 8, days(3))
    assert set(second.cadres.all()) == {w.cadre_a_obj, w.secretary}
    assert Appeal.objects.get(pk=w.overdue_a.pk).escalation_level == 2
    # and never a third level (appeal_a and appeal_b, left unassigned, catch up meanwhile)
    assert appeal_escalate_overdue(today=days(60)) == {"level_1": 0, "level_2": 2, "escalated": 2}
    assert list(AppealEscalation.objects.filter(appeal=w.overdue_a).values_list("level", flat=True)) == [1, 2]


def test_a_late_run_escalates_straight_to_the_level_due(aworld):
    w = aworld
    # ten days on: overdue_a 15 days late (level 2 at once), appeal_a and appeal_b 7 days unassigned
    assert appeal_escalate_overdue(today=days(10)) == {"level_1": 2, "level_2": 1, "escalated": 3}
    assert list(AppealEscalation.objects.order_by("appeal_id").values_list("appeal_id", "level", "days_overdue")) == [
        (w.appeal_a.pk, 1, 7), (w.appeal_b.pk, 1, 7), (w.overdue_a.pk, 2, 15)]


def test_an_appeal_left_unassigned_is_escalated_after_three_days(aworld):
    # given appeal_a and appeal_b received today and left unassigned (their deadlines are later)
    w = aworld
    assert appeal_escalate_overdue(today=days(3))["escalated"] == 1  # overdue_a only
    counts = appeal_escalate_overdue(today=days(4))
    assert counts == {"level_1": 2, "level_2": 0, "escalated": 2}
    unassigned = AppealEscalation.objects.filter(reason="unassigned").order_by("appeal_id")
    assert [(e.appeal_id, e.level, e.days_overdue) for e in unassigned] == [(w.appeal_a.pk, 1, 1),
                                                                           (w.appeal_b.pk, 1, 1)]
    # each to its own paired cadre only
    assert [list(e.cadres.all()) for e in unassigned] == [[w.cadre_a_obj], [w.cadre_b_obj]]


def test_resolved_closed_and_withdrawn_appeals_are_never_escalated(aworld):
    w = aworld
    step(w.appeal_a, "withdraw", w.enterprise_user)
    step(w.overdue_a, "start", w.org_staff)
    step(w.overdue_a, "resolve", w.org_staff, resolution=RESOLUTION)
    step(w.resolved_a, "close", w.org_staff)
    counts = appeal_escalate_overdue(today=days(100))
    assert counts == {"level_1": 0, "level_2": 1, "escalated": 1}
    assert list(AppealEscalation.objects.values_list("appeal_id", flat=True)) == [w.appeal_b.pk]


def test_the_cadres_of_the_day_through_an_entrepreneur_not_ended_or_inactive_ones(aworld):
    # given ent_c represented by 李东湖 (paired with 吴国平), linked as entrepreneur to 王西山's person;
    # an ended pairing of 郑明远 with ent_c; and an inactive cadre paired with ent_c
    w = aworld
    ent_c = EnterpriseFactory(name="东湖新材料有限公司", region=w.village_a, legal_representative=w.person_a)
    EnterprisePerson.objects.create(enterprise=ent_c, person=w.person_b, link="entrepreneur")
    Pairing.objects.create(cadre=w.cadre_b_obj, kind="enterprise", enterprise=ent_c, started_on=days(-300),
                           ended_on=days(-10))
    retired = Cadre.objects.create(name="钱志远", post="原副市长", level=CadreLevel.COUNTY, is_active=False)
    Pairing.objects.create(cadre=retired, kind="enterprise", enterprise=ent_c, started_on=days(-300))
    appeal = create(w.org_staff, ent_c)
    step(appeal, "assign", w.org_staff, department=w.dept)
    Appeal.objects.filter(pk=appeal.pk).update(deadline=days(-1))
    # when it is escalated
    appeal_escalate_overdue(today=today())
    # then to 吴国平 only
    assert list(AppealEscalation.objects.get(appeal=appeal).cadres.all()) == [w.cadre_a_obj]
    # and once 郑明远 is paired with 王西山 (an entrepreneur of ent_c), level 2 goes to both and the secretary
    Pairing.objects.create(cadre=w.cadre_b_obj, kind="entrepreneur", person=w.person_b, started_on=days(-1))
    appeal_escalate_overdue(today=days(7))
    assert set(AppealEscalation.objects.get(appeal=appeal, level=2).cadres.all()) == {
        w.cadre_a_obj, w.cadre_b_obj, w.secretary}


def test_the_nightly_task_run_twice_escalates_once(aworld):
    w = aworld
    first = appeal_escalate_overdue_task()
    after_first = state()
    second = appeal_escalate_overdue_task()
    assert (first, second) == ({"level_1": 1, "level_2": 0, "escalated": 1},
                               {"level_1": 0, "level_2": 0, "escalated": 0})
    assert state() == after_first
    assert list(AppealEscalation.objects.values_list("appeal_id", "level")) == [(w.overdue_a.pk, 1)]


def test_the_task_is_in_the_beat_schedule():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["liaison-escalate-overdue"]
    assert entry["task"] == "liaison.escalate_overdue" == appeal_escalate_overdue_task.name
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({1}, {30})
