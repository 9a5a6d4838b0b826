"""A rating's history names each step's person and role (王晓燕（组织部工作人员）), not the account."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def named(user, last, first):
    user.last_name, user.first_name = last, first
    user.save(update_fields=["last_name", "first_name"])


def test_the_rating_history_names_the_person_and_role_of_each_step(client, rworld):
    w = rworld
    named(w.org_staff, "王", "晓燕")
    named(w.town_staff, "李", "明辉")
    named(w.ent_n_user, "黄", "海涛")
    client.force_login(w.org_staff)
    body = client.get(reverse("ratings:detail", args=[w.rating_n.pk])).content.decode()
    history = body[body.index('id="history"'):]
    assert "黄海涛（企业用户）" in history
    assert "李明辉（镇街工作人员）" in history
    assert "王晓燕（组织部工作人员）" in history
    assert "公众" in history  # the objection, lodged by no account
    assert not [u for u in ("t_orgstaff", "t_townstaff", "t_enterprise_n") if u in history]
