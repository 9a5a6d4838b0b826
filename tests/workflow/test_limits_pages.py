"""The organization department's page of service-time settings: a step's limit from a day on (a new
row, audited; refused at the field outside 1–60 days or before today) and the working-day overrides
(added and removed, audited). Nobody else opens it or writes through it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditLog
from tests.access import AccessCase, case_id, run_access_case, url_of, users
from workflow.limits import limit_for
from workflow.models import StepLimit, WorkdayOverride

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


NOT_DEPARTMENT = ("town_staff", "station", "bank_officer", "insurer_officer", "enterprise_user", "cadre", "leader",
                  "admin")
SETTINGS = {"why_no_other_scope": "the department's settings of the whole city: no one else's scope reaches them"}


def _override_url(world):
    override, _created = WorkdayOverride.objects.get_or_create(
        date=today() + datetime.timedelta(days=20), defaults={"is_working_day": False, "name": "台风停工"})
    return reverse("service_time:override_delete", args=[override.pk])


def department_only(name, *, url=None, method="get", data=None, ok=(200,), label=""):
    return AccessCase(name, url or url_of(name), right=users("org_staff"), wrong=users(*NOT_DEPARTMENT),
                      method=method, data=data, ok=ok, label=label, **SETTINGS)


ACCESS_CASES = [
    department_only("service_time:settings"),
    department_only("service_time:limit_create", method="post", ok=(302,), data=lambda w: {
        "step": "loan.accepted", "working_days": "5", "effective_from": (today() + datetime.timedelta(days=3))
        .isoformat(), "note": ""}),
    department_only("service_time:override_create", method="post", ok=(302,), data=lambda w: {
        "date": (today() + datetime.timedelta(days=10)).isoformat(), "is_working_day": "0", "name": "台风停工"}),
    department_only("service_time:override_delete", url=_override_url, method="post", ok=(302,), data=lambda w: {}),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, world):
    run_access_case(case, world)


def limit_post(client, **overrides):
    data = {"step": "loan.accepted", "working_days": "5", "effective_from": (today() + datetime.timedelta(days=3))
            .isoformat(), "note": "市委组织部〔2026〕12号"} | overrides
    return client.post(reverse("service_time:limit_create"), data)


def test_the_department_sees_each_step_with_its_limit_in_force(client, world):
    client.force_login(world.org_staff)
    page = client.get(reverse("service_time:settings")).content.decode()
    assert 'data-step="loan.accepted"' in page
    assert 'data-days="7"' in page
    assert "问题诉求 · 首次响应（交办）" in page


def test_the_department_sets_a_limit_from_a_day_on_and_it_is_audited(client, world):
    client.force_login(world.org_staff)
    response = limit_post(client)
    assert response.status_code == 302
    start = today() + datetime.timedelta(days=3)
    row = StepLimit.objects.get(workflow="loan", state="accepted", effective_from=start)
    assert (row.working_days, row.set_by, row.note) == (5, world.org_staff, "市委组织部〔2026〕12号")
    assert limit_for("loan", "accepted", start - datetime.timedelta(days=1)) == 7
    assert limit_for("loan", "accepted", start) == 5
    audit = AuditLog.objects.get(action="step_limit.create")
    assert audit.actor == world.org_staff
    page = client.get(reverse("service_time:settings")).content.decode()
    assert f"自 {start.isoformat()} 起 5 个工作日" in page


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"working_days": "0"}, "working_days", "办理时限须为 1 至 60 个工作日。"),
    ({"working_days": "61"}, "working_days", "办理时限须为 1 至 60 个工作日。"),
    ({"working_days": "十"}, "working_days", "请填写整数个工作日。"),
    ({"effective_from": "2025-01-01"}, "effective_from", "日期不能早于今天"),
    ({"step": "loan.approved"}, "step", ""),
])
def test_a_limit_out_of_range_or_in_the_past_is_refused_at_its_field(client, world, changes, field, message):
    client.force_login(world.org_staff)
    response = limit_post(client, **changes)
    assert response.status_code == 400
    errors = response.context["limit_form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert not StepLimit.objects.filter(set_by=world.org_staff).exists()
    assert not AuditLog.objects.filter(action="step_limit.create").exists()


def test_the_same_step_and_day_twice_is_refused(client, world):
    client.force_login(world.org_staff)
    assert limit_post(client).status_code == 302
    response = limit_post(client, working_days="4")
    assert response.status_code == 400
    assert "已有设定" in response.context["limit_form"].errors["effective_from"][0]


def test_the_department_adds_and_removes_a_local_closure(client, world):
    client.force_login(world.org_staff)
    day = today() + datetime.timedelta(days=10)
    response = client.post(reverse("service_time:override_create"),
                           {"date": day.isoformat(), "is_working_day": "0", "name": "台风停工", "note": "防指通知"})
    assert response.status_code == 302
    override = WorkdayOverride.objects.get(date=day)
    assert (override.is_working_day, override.name, override.updated_by) == (False, "台风停工", world.org_staff)
    assert f'data-override="{day.isoformat()}"' in client.get(reverse("service_time:settings")).content.decode()
    again = client.post(reverse("service_time:override_create"),
                        {"date": day.isoformat(), "is_working_day": "1", "name": "更正"})
    assert again.status_code == 400
    assert "已有调整" in again.context["override_form"].errors["date"][0]
    assert client.post(reverse("service_time:override_delete", args=[override.pk])).status_code == 302
    assert not WorkdayOverride.objects.filter(date=day).exists()
    assert list(AuditLog.objects.filter(action__startswith="workday_override.").order_by("pk")
                .values_list("action", flat=True)) == ["workday_override.create", "workday_override.delete"]


def test_a_past_day_is_neither_added_nor_removed(client, world):
    client.force_login(world.org_staff)
    past = today() - datetime.timedelta(days=1)
    response = client.post(reverse("service_time:override_create"),
                           {"date": past.isoformat(), "is_working_day": "0", "name": "台风停工"})
    assert response.status_code == 400
    assert "日期不能早于今天" in response.context["override_form"].errors["date"][0]
    kept = WorkdayOverride.objects.create(date=past, is_working_day=False, name="台风停工")
    client.post(reverse("service_time:override_delete", args=[kept.pk]))
    assert WorkdayOverride.objects.filter(pk=kept.pk).exists()


@pytest.mark.parametrize("who", ["town_staff", "bank_officer", "enterprise_user", "station"])
def test_others_are_refused_the_page_and_every_write(client, world, who):
    client.force_login(getattr(world, who))
    kept = WorkdayOverride.objects.create(date=today() + datetime.timedelta(days=5), is_working_day=False,
                                          name="台风停工")
    assert client.get(reverse("service_time:settings")).status_code == 403
    assert limit_post(client).status_code == 403
    assert client.post(reverse("service_time:override_create"), {
        "date": (today() + datetime.timedelta(days=6)).isoformat(), "is_working_day": "0",
        "name": "台风停工"}).status_code == 403
    assert client.post(reverse("service_time:override_delete", args=[kept.pk])).status_code == 403
    assert StepLimit.objects.filter(set_by__isnull=False).count() == 0
    assert list(WorkdayOverride.objects.values_list("pk", flat=True)) == [kept.pk]


def test_an_anonymous_visitor_is_sent_to_sign_in(client, world):
    response = client.get(reverse("service_time:settings"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]

