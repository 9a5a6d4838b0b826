"""A benefit application's history names the person and role, not the account."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_benefit_history_names_the_person_and_role(client, tw):
    tw.enterprise_user.last_name, tw.enterprise_user.first_name = "黄", "海涛"
    tw.enterprise_user.save(update_fields=["last_name", "first_name"])
    client.force_login(tw.org_staff)
    body = client.get(reverse("talent:benefit_detail", args=[tw.app_a.pk])).content.decode()
    assert "黄海涛（企业用户） · " in body
    assert "t_enterprise · " not in body
