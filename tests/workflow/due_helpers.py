"""Due dates relative to today for the lists' and the API's tests: two working days late, due on
the next working day, due in ten."""

from django.utils import timezone
from rest_framework.test import APIClient

from workflow.calendar import add_working_days
from workflow.limits import shift_working_days


def late():
    return shift_working_days(timezone.localdate(), -2)


def soon():
    return add_working_days(timezone.localdate(), 1)


def later():
    return add_working_days(timezone.localdate(), 10)


def set_due(case, day):
    type(case).objects.filter(pk=case.pk).update(due_on=day)
    case.refresh_from_db()
    return case


def pks(filterset_class, params, queryset):
    return list(filterset_class(params, queryset=queryset).qs.values_list("pk", flat=True))


def api_get(user, url, params=None):
    client = APIClient()
    client.force_authenticate(user)
    return client.get(url, params or {})
