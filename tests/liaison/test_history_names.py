"""An appeal's history names each step's person and role, not the account."""

import pytest
from django.urls import reverse

from .fixtures_appeals import aworld  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def test_the_appeal_history_names_the_person_and_role(client, aworld):  # noqa: F811
    w = aworld
    w.org_staff.last_name, w.org_staff.first_name = "王", "晓燕"
    w.org_staff.save(update_fields=["last_name", "first_name"])
    client.force_login(w.org_staff)
    body = client.get(reverse("liaison:appeal_detail", args=[w.overdue_a.pk])).content.decode()
    assert "王晓燕（组织部工作人员） · " in body
    assert "t_orgstaff · " not in body
