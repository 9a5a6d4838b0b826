"""The working-day calendar that service-time limits (限时办结) count on.

Whether a day is a working day is answered, in this order, by:

1. the organization department's overrides (`WorkdayOverride`, kept in the admin site);
2. the State Council's holiday schedule as the chinese-calendar package carries it, make-up working
   weekends (调休上班) included;
3. for a year the package has no data for (before its first year, or one not yet published when the
   installed version was made): Monday to Friday. The system check `workflow.W001` says so when the
   current year, or from 1 December the next one, is such a year with no overrides either.

Counting rule (the usual one for administrative time limits): the day a case is accepted does not
count; the limit runs from the next working day. `add_working_days(start, n)` is therefore the n-th
working day after `start`, whether `start` itself is a working day or not, and
`working_days_between(a, b)` counts the working days after `a` up to and including `b`, so that
`working_days_between(start, add_working_days(start, n)) == n`.

Each function reads the overrides of a year it touches once (one query a year) and keeps nothing
between calls, so an override saved in one process is seen by the next call in every other. A caller
that asks many questions at once (a list of cases) passes one `WorkingCalendar` to each of them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping

import chinese_calendar
from django.utils import timezone

OverridesOfYear = Callable[[int], Mapping[datetime.date, bool]]


def package_knows_year(year: int) -> bool:
    """Whether the installed chinese-calendar has the State Council schedule of this year."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def package_working_day(day: datetime.date) -> bool:
    """The State Council schedule's answer for the day, or Monday to Friday for a year it does not know."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def stored_overrides(year: int) -> dict[datetime.date, bool]:
    """The organization department's overrides of one year: date → is a working day."""
    from .models import WorkdayOverride

    return dict(WorkdayOverride.objects.filter(date__year=year).values_list("date", "is_working_day"))


def as_date(value: datetime.date) -> datetime.date:
    """A date as given, or the Beijing-time day of an aware datetime (a naive one is refused: its day
    would depend on where it was made)."""
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            raise TypeError("a naive datetime has no day of its own: pass a date or an aware datetime")
        return timezone.localtime(value).date()
    if not isinstance(value, datetime.date):
        raise TypeError(f"expected a date, got {type(value).__name__}")
    return value


class WorkingCalendar:
    """Working days as one caller sees them: the overrides of each year read once, when first needed."""

    def __init__(self, overrides_of_year: OverridesOfYear = stored_overrides):
        self._overrides_of_year = overrides_of_year
        self._overrides: dict[int, Mapping[datetime.date, bool]] = {}

    def is_working_day(self, day: datetime.date) -> bool:
        day = as_date(day)
        overrides = self._overrides.get(day.year)
        if overrides is None:
            overrides = self._overrides[day.year] = self._overrides_of_year(day.year)
        if day in overrides:
            return overrides[day]
        return package_working_day(day)

    def next_working_day(self, day: datetime.date) -> datetime.date:
        day = as_date(day) + datetime.timedelta(days=1)
        while not self.is_working_day(day):
            day += datetime.timedelta(days=1)
        return day

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        if n < 0:
            raise ValueError("a time limit is a number of working days, not negative")
        day = as_date(start)
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, a: datetime.date, b: datetime.date) -> int:
        a, b = as_date(a), as_date(b)
        if b < a:
            return -self.working_days_between(b, a)
        count, day = 0, a
        while day < b:
            day += datetime.timedelta(days=1)
            count += self.is_working_day(day)
        return count


def is_working_day(day: datetime.date, *, calendar: WorkingCalendar | None = None) -> bool:
    """Whether people work on the day (a make-up Saturday is a working day; a holiday Monday is not)."""
    return (calendar or WorkingCalendar()).is_working_day(day)


def next_working_day(day: datetime.date, *, calendar: WorkingCalendar | None = None) -> datetime.date:
    """The first working day after the day (never the day itself)."""
    return (calendar or WorkingCalendar()).next_working_day(day)


def add_working_days(start: datetime.date, n: int, *, calendar: WorkingCalendar | None = None) -> datetime.date:
    """The due date of an n-working-day limit that starts with a case accepted on `start`: the n-th working
    day after `start`; `start` itself never counts, and n = 0 gives `start`."""
    return (calendar or WorkingCalendar()).add_working_days(start, n)


def working_days_between(a: datetime.date, b: datetime.date, *, calendar: WorkingCalendar | None = None) -> int:
    """The working days after `a` up to and including `b`; negative when `b` is before `a`. Seen from
    today, the time left until a due date (0 on the due date itself, below 0 once it has passed)."""
    return (calendar or WorkingCalendar()).working_days_between(a, b)
