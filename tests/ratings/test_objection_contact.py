"""An objector's contact is personal data: masked on the rating page for every staff role, shown whole
only to staff with the unmask right, one audited look at a time."""

import pytest
from django.urls import reverse

from portal.models import AuditLog
from portal.rules import mask_contact
from tests.access import AccessCase, case_id, run_access_case, url_of, users

pytestmark = pytest.mark.django_db

WHOLE = "13800001111"  # the contact tests/ratings/conftest.py lodges the objection with
MASKED = "138****1111"

ACCESS_CASES = [
    AccessCase("ratings:objection_unmask", url_of("ratings:objection_unmask", "objection.pk"), method="post",
               right=users("org_staff", "town_staff"),
               wrong=users("leader", "enterprise_user", "ent_n_user", "station", "bank_officer", "cadre", "admin"),
               other_scope=users("town_staff_b"), marker=lambda w: WHOLE),
    # Opened with GET it goes back to the rating, masked (below): for those who see the objection only
    # (the leaders read every rating and its objections, masked).
    AccessCase("ratings:objection_unmask", url_of("ratings:objection_unmask", "objection.pk"), ok=(302,),
               right=users("org_staff", "town_staff", "leader"),
               wrong=users("enterprise_user", "ent_n_user", "station", "bank_officer", "cadre", "admin"),
               other_scope=users("town_staff_b")),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, rworld):
    run_access_case(case, rworld)


@pytest.mark.parametrize(("text", "expected"), [
    ("13800001111", "138****1111"),
    ("138 0000 1111", "138 **** 1111"),
    ("0838-6212345 王先生", "083*-***2345 王先生"),
    ("6212345", "*******"),
    ("", ""),
])
def test_a_contact_keeps_its_first_three_and_last_four_digits(text, expected):
    assert mask_contact(text) == expected


@pytest.mark.parametrize("role", ["org_staff", "town_staff", "leader"])
def test_every_staff_role_sees_the_contact_masked(client, rworld, role):
    # given a rating under notice with an objection, seen by a staff role that reads objections
    client.force_login(getattr(rworld, role))
    # when the rating page is opened
    body = client.get(reverse("ratings:detail", args=[rworld.rating_n.pk])).content.decode()
    # then the contact is masked and the objector is still there
    assert "张三" in body
    assert MASKED in body
    assert WHOLE not in body


@pytest.mark.parametrize(("role", "button"), [("org_staff", True), ("town_staff", True), ("leader", False)])
def test_the_unmask_button_is_offered_to_those_with_the_right(client, rworld, role, button):
    client.force_login(getattr(rworld, role))
    body = client.get(reverse("ratings:detail", args=[rworld.rating_n.pk])).content.decode()
    assert (reverse("ratings:objection_unmask", args=[rworld.objection.pk]) in body) is button


def test_unmasking_with_the_right_shows_the_contact_and_writes_one_audit_row(client, rworld):
    # given town staff of the rating's town
    client.force_login(rworld.town_staff)
    # when they ask for the whole contact
    response = client.post(reverse("ratings:objection_unmask", args=[rworld.objection.pk]))
    # then the page shows it, and one audit row records who looked at which objection
    assert response.status_code == 200
    assert f'id="objection-contact-{rworld.objection.pk}">{WHOLE}<' in response.content.decode()
    rows = AuditLog.objects.filter(action="objection.unmask")
    assert list(rows.values_list("actor__username", "object_id")) == [("t_townstaff", str(rworld.objection.pk))]
    assert WHOLE not in str(rows.get().note)


def test_a_leader_without_the_right_is_refused_and_nothing_is_audited(client, rworld):
    client.force_login(rworld.leader)
    response = client.post(reverse("ratings:objection_unmask", args=[rworld.objection.pk]))
    assert response.status_code == 403
    assert WHOLE not in response.content.decode()
    assert AuditLog.objects.filter(action="objection.unmask").count() == 0


def test_the_unmask_address_opened_with_get_goes_back_to_the_masked_rating(client, rworld):
    client.force_login(rworld.org_staff)
    response = client.get(reverse("ratings:objection_unmask", args=[rworld.objection.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("ratings:detail", args=[rworld.rating_n.pk])
    assert AuditLog.objects.filter(action="objection.unmask").count() == 0
