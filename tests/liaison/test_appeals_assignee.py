"""An assignee who is not paired with the enterprise handles its appeal without reaching the
enterprise's page: the appeal page names the enterprise without a link that would answer 404. The
history names people by name, not by account."""

# ruff: noqa: F811
import pytest
from django.urls import reverse

from .fixtures_appeals import aworld, step  # noqa: F401

pytestmark = pytest.mark.django_db


def test_an_unpaired_assignee_sees_the_enterprise_named_without_a_link(aworld, client):
    w = aworld
    step(w.appeal_a, "assign", w.org_staff, department=w.dept, assignee=w.cadre_b)
    client.force_login(w.cadre_b)
    page = client.get(reverse("liaison:appeal_detail", args=[w.appeal_a.pk])).content.decode()
    assert w.ent_a.name in page
    assert reverse("enterprise_detail", args=[w.ent_a.pk]) not in page
    # the paired cadre still gets the link
    client.force_login(w.cadre)
    page = client.get(reverse("liaison:appeal_detail", args=[w.appeal_a.pk])).content.decode()
    assert reverse("enterprise_detail", args=[w.ent_a.pk]) in page


def test_the_history_names_the_actor_by_name(aworld):
    w = aworld
    w.org_staff.last_name, w.org_staff.first_name = "王", "晓燕"
    w.org_staff.save(update_fields=["last_name", "first_name"])
    appeal = step(w.appeal_a, "assign", w.org_staff, department=w.dept)
    assert appeal.events.get(action="assign").actor_name == "王晓燕"
