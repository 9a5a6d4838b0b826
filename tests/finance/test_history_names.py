"""A loan application's history names each step's person and role, not the account."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_application_history_names_the_person_and_role(client, fworld):
    w = fworld
    for user, last, first in ((w.bank2_officer, "刘", "洋"), (w.enterprise_b_user, "黄", "海涛")):
        user.last_name, user.first_name = last, first
        user.save(update_fields=["last_name", "first_name"])
    client.force_login(w.bank2_officer)
    body = client.get(reverse("finance:application_detail", args=[w.app_b.pk])).content.decode()
    assert "黄海涛（企业用户） · " in body
    assert "刘洋（银行客户经理） · " in body
    assert "t_bank2 · " not in body
