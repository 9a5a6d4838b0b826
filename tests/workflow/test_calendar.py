"""The working-day calendar on real dates, as the State Council's notices set them:
国办发明电〔2024〕12号 for 2025 and 国办发明电〔2025〕7号 for 2026 (the days off and the make-up
working weekends), then the organization department's overrides over them, and the weekdays-only
fallback for a year the chinese-calendar package does not know."""

import datetime

import chinese_calendar
import pytest
from django.contrib.auth import get_user_model
from django.core import checks
from django.test import Client
from django.urls import reverse

from portal.models import AuditLog
from workflow.calendar import (
    WorkingCalendar,
    add_working_days,
    is_working_day,
    next_working_day,
    package_knows_year,
    working_days_between,
)
from workflow.checks import check_holiday_schedule, years_to_check, years_without_schedule
from workflow.models import WorkdayOverride

pytestmark = pytest.mark.django_db

D = datetime.date


def days(first: str, last: str) -> list[datetime.date]:
    start, end = D.fromisoformat(first), D.fromisoformat(last)
    return [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]


# --- the State Council's schedule ---------------------------------------------------------------------

@pytest.mark.parametrize("day", days("2025-10-01", "2025-10-08"))
def test_national_day_and_mid_autumn_2025_are_eight_days_off(day):
    assert is_working_day(day) is False


@pytest.mark.parametrize(("day", "weekday"), [(D(2025, 9, 28), 6), (D(2025, 10, 11), 5)])
def test_the_make_up_sunday_and_saturday_around_national_day_2025_are_working_days(day, weekday):
    assert day.weekday() == weekday
    assert is_working_day(day) is True


@pytest.mark.parametrize(("day", "working"), [
    (D(2025, 9, 26), True),    # Friday before
    (D(2025, 9, 27), False),   # an ordinary Saturday
    (D(2025, 9, 29), True),
    (D(2025, 9, 30), True),
    (D(2025, 10, 9), True),    # back at work on Thursday
    (D(2025, 10, 12), False),  # the Sunday after the make-up Saturday
])
def test_the_days_around_national_day_2025(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize("day", days("2026-02-15", "2026-02-23"))
def test_spring_festival_2026_is_nine_days_off(day):
    assert is_working_day(day) is False


@pytest.mark.parametrize("day", [D(2026, 2, 14), D(2026, 2, 28)])
def test_the_make_up_saturdays_of_spring_festival_2026_are_working_days(day):
    assert day.weekday() == 5
    assert is_working_day(day) is True


@pytest.mark.parametrize("day", days("2025-05-01", "2025-05-05"))
def test_labour_day_2025_is_five_days_off(day):
    assert is_working_day(day) is False


def test_the_make_up_sunday_before_labour_day_2025_is_a_working_day():
    assert D(2025, 4, 27).weekday() == 6
    assert is_working_day(D(2025, 4, 27)) is True
    assert next_working_day(D(2025, 4, 30)) == D(2025, 5, 6)


def test_new_years_day_2026_is_three_days_off_and_the_sunday_after_is_worked():
    assert [is_working_day(d) for d in days("2026-01-01", "2026-01-05")] == [False, False, False, True, True]


@pytest.mark.parametrize(("day", "working"), [
    (D(2025, 11, 10), True), (D(2025, 11, 11), True), (D(2025, 11, 12), True), (D(2025, 11, 13), True),
    (D(2025, 11, 14), True), (D(2025, 11, 15), False), (D(2025, 11, 16), False),
])
def test_an_ordinary_week_is_monday_to_friday(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_day_of_2025_and_2026_agrees_with_the_package(year):
    calendar = WorkingCalendar()
    for day in days(f"{year}-01-01", f"{year}-12-31"):
        assert calendar.is_working_day(day) is chinese_calendar.is_workday(day), day
    # and the package's own lists hold the make-up days and holidays the tests above name
    assert chinese_calendar.workdays[D(2026, 2, 14)] == chinese_calendar.Holiday.spring_festival.value
    assert chinese_calendar.holidays[D(2025, 10, 6)] == chinese_calendar.Holiday.mid_autumn_festival.value


# --- counting working days ------------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "n", "due"), [
    # across National Day week 2025: Sep 28 (Sun), 29, 30, Oct 9, 10, 11 (Sat), 13, 14, 15, 16
    (D(2025, 9, 26), 10, D(2025, 10, 16)),
    (D(2025, 9, 26), 1, D(2025, 9, 28)),
    # across Spring Festival 2026: Feb 13, 14 (Sat), 24, 25, 26, 27, 28 (Sat), Mar 2, 3, 4
    (D(2026, 2, 12), 10, D(2026, 3, 4)),
    (D(2026, 2, 12), 3, D(2026, 2, 24)),
    # from an ordinary Friday: the limit starts on Monday
    (D(2025, 11, 14), 1, D(2025, 11, 17)),
    (D(2025, 11, 14), 5, D(2025, 11, 21)),
    # accepted on a holiday: the first working day after it is day one
    (D(2025, 10, 3), 1, D(2025, 10, 9)),
    (D(2025, 10, 3), 3, D(2025, 10, 11)),
    (D(2026, 2, 17), 1, D(2026, 2, 24)),
    # accepted on a make-up Saturday: that day does not count either
    (D(2025, 10, 11), 1, D(2025, 10, 13)),
    # across the new year into 2026: Dec 31, Jan 4 (Sun), Jan 5
    (D(2025, 12, 30), 3, D(2026, 1, 5)),
    (D(2025, 11, 14), 0, D(2025, 11, 14)),
])
def test_add_working_days(start, n, due):
    assert add_working_days(start, n) == due
    assert working_days_between(start, due) == n


def test_a_negative_limit_is_refused():
    with pytest.raises(ValueError, match="not negative"):
        add_working_days(D(2025, 11, 14), -1)


@pytest.mark.parametrize(("a", "b", "count"), [
    (D(2025, 9, 26), D(2025, 10, 16), 10),
    (D(2025, 10, 16), D(2025, 9, 26), -10),   # a due date ten working days ago
    (D(2025, 10, 1), D(2025, 10, 8), 0),      # the whole holiday: no working day in it
    (D(2025, 11, 14), D(2025, 11, 14), 0),    # due today
    (D(2026, 2, 13), D(2026, 3, 2), 7),       # Feb 14, 24, 25, 26, 27, 28, Mar 2
])
def test_working_days_between(a, b, count):
    assert working_days_between(a, b) == count


@pytest.mark.parametrize(("day", "following"), [
    (D(2025, 9, 30), D(2025, 10, 9)),
    (D(2025, 9, 26), D(2025, 9, 28)),   # the make-up Sunday
    (D(2026, 2, 13), D(2026, 2, 14)),   # the make-up Saturday
    (D(2026, 2, 14), D(2026, 2, 24)),
    (D(2025, 11, 14), D(2025, 11, 17)),
])
def test_next_working_day(day, following):
    assert next_working_day(day) == following


def test_an_aware_datetime_counts_as_its_beijing_day_and_a_naive_one_is_refused():
    # 17:00 UTC on 30 September is 01:00 on 1 October in Beijing: National Day
    assert is_working_day(datetime.datetime(2025, 9, 30, 17, 0, tzinfo=datetime.UTC)) is False
    assert is_working_day(datetime.datetime(2025, 9, 30, 15, 0, tzinfo=datetime.UTC)) is True
    with pytest.raises(TypeError):
        is_working_day(datetime.datetime(2025, 9, 30, 17, 0))  # noqa: DTZ001 - the naive one refused


def test_the_overrides_are_read_once_a_year_per_call(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert add_working_days(D(2025, 9, 26), 10) == D(2025, 10, 16)
    with django_assert_num_queries(2):  # 2025 and 2026
        assert add_working_days(D(2025, 12, 30), 3) == D(2026, 1, 5)
    calendar = WorkingCalendar()
    with django_assert_num_queries(1):  # one calendar shared by many questions
        assert [add_working_days(D(2025, 9, 26), n, calendar=calendar) for n in (1, 5, 10)] == [
            D(2025, 9, 28), D(2025, 10, 10), D(2025, 10, 16)]
        # the working days of 2025 (1 January itself a holiday): 261 weekdays, 18 of them off, 5 make-up days
        assert working_days_between(D(2025, 1, 1), D(2025, 12, 31), calendar=calendar) == 248


# --- the organization department's overrides -------------------------------------------------------------

def test_an_override_making_a_holiday_a_working_day_wins_over_the_package():
    WorkdayOverride.objects.create(date=D(2025, 10, 8), is_working_day=True, name="国庆节提前返岗")
    assert chinese_calendar.is_workday(D(2025, 10, 8)) is False
    assert is_working_day(D(2025, 10, 8)) is True
    assert add_working_days(D(2025, 9, 26), 10) == D(2025, 10, 15)


def test_an_override_making_a_working_day_a_holiday_wins_over_the_package():
    WorkdayOverride.objects.create(date=D(2025, 11, 12), is_working_day=False, name="台风停工")
    assert chinese_calendar.is_workday(D(2025, 11, 12)) is True
    assert is_working_day(D(2025, 11, 12)) is False
    assert working_days_between(D(2025, 11, 9), D(2025, 11, 16)) == 4
    assert add_working_days(D(2025, 11, 11), 1) == D(2025, 11, 13)


def test_an_override_saved_is_seen_by_the_next_call():
    assert is_working_day(D(2025, 9, 27)) is False
    WorkdayOverride.objects.create(date=D(2025, 9, 27), is_working_day=True, name="调休上班")
    assert is_working_day(D(2025, 9, 27)) is True


# --- a year the package does not know -----------------------------------------------------------------------

def test_a_year_the_package_does_not_know_counts_monday_to_friday():
    assert package_knows_year(2026) is True
    assert package_knows_year(2028) is False, "the installed chinese-calendar knows 2028: move these dates on"
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2028, 10, 2))
    assert is_working_day(D(2028, 10, 2)) is True    # a Monday: National Day in any real year, unknown here
    assert is_working_day(D(2028, 1, 1)) is False    # a Saturday
    assert add_working_days(D(2028, 9, 29), 3) == D(2028, 10, 4)


def test_overrides_entered_for_an_unknown_year_are_followed():
    WorkdayOverride.objects.bulk_create([
        WorkdayOverride(date=d, is_working_day=False, name="国庆节") for d in days("2028-10-02", "2028-10-06")])
    assert add_working_days(D(2028, 9, 29), 3) == D(2028, 10, 11)


def test_the_years_to_check_include_the_next_one_from_the_first_of_december():
    assert years_to_check(D(2026, 11, 30)) == [2026]
    assert years_to_check(D(2026, 12, 1)) == [2026, 2027]


def test_the_check_warns_for_a_year_with_neither_package_data_nor_overrides(monkeypatch):
    monkeypatch.setattr("workflow.checks.localdate", lambda: D(2028, 12, 1))
    assert years_without_schedule(D(2028, 12, 1)) == [2028, 2029]
    warnings = check_holiday_schedule(databases=["default"])
    assert [w.id for w in warnings] == ["workflow.W001", "workflow.W001"]
    assert isinstance(warnings[0], checks.Warning)
    assert "2028 年的节假日安排未知" in warnings[0].msg
    assert "The 2028 holiday schedule is unknown" in warnings[0].msg
    assert "2029" in warnings[1].msg
    # Django runs it among the database checks
    assert "workflow.W001" in [w.id for w in checks.run_checks(tags=[checks.Tags.database], databases=["default"])]

    WorkdayOverride.objects.create(date=D(2028, 1, 28), is_working_day=False, name="春节")
    assert [w.msg[:4] for w in check_holiday_schedule(databases=["default"])] == ["2029"]


def test_the_check_is_quiet_for_a_year_the_package_knows_and_without_a_database(monkeypatch):
    monkeypatch.setattr("workflow.checks.localdate", lambda: D(2026, 6, 1))
    assert check_holiday_schedule(databases=["default"]) == []
    monkeypatch.setattr("workflow.checks.localdate", lambda: D(2028, 6, 1))
    assert check_holiday_schedule(databases=None) == []   # a plain `check` does not read the database


# --- the admin site --------------------------------------------------------------------------------------------

def _client(**flags) -> tuple[Client, object]:
    user = get_user_model().objects.create_user(username=f"u{len(flags)}", password="x-unused-9", **flags)
    client = Client()
    client.force_login(user)
    return client, user


def test_an_override_entered_in_the_admin_site_is_audited_and_signed():
    client, admin = _client(is_staff=True, is_superuser=True)
    response = client.post(reverse("admin:workflow_workdayoverride_add"), {
        "date": "2025-11-12", "is_working_day": "", "name": "台风停工", "note": "市防指通知"})
    assert response.status_code == 302
    override = WorkdayOverride.objects.get(date=D(2025, 11, 12))
    assert override.updated_by == admin
    assert is_working_day(D(2025, 11, 12)) is False
    row = AuditLog.objects.get(action="workdayoverride.create")
    assert row.actor == admin
    assert row.after == {"date": "2025-11-12", "is_working_day": False, "name": "台风停工", "note": "市防指通知"}

    client.post(reverse("admin:workflow_workdayoverride_change", args=[override.pk]), {
        "date": "2025-11-12", "is_working_day": "on", "name": "台风停工（撤销）", "note": ""})
    update = AuditLog.objects.get(action="workdayoverride.update")
    assert update.before["is_working_day"] is False
    assert update.after["is_working_day"] is True
    assert is_working_day(D(2025, 11, 12)) is True


def test_a_user_without_the_admin_site_cannot_enter_an_override():
    client, _user = _client()
    response = client.post(reverse("admin:workflow_workdayoverride_add"), {
        "date": "2025-11-12", "is_working_day": "", "name": "台风停工"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not WorkdayOverride.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="workdayoverride.").exists()


def test_a_staff_account_without_the_permission_cannot_enter_an_override():
    client, _user = _client(is_staff=True)
    response = client.post(reverse("admin:workflow_workdayoverride_add"), {
        "date": "2025-11-12", "is_working_day": "", "name": "台风停工"})
    assert response.status_code == 403
    assert not WorkdayOverride.objects.exists()
