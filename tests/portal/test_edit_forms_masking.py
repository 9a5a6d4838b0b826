"""The edit forms of a person and of a lawyer never put the whole numbers in the page (that would be an
unaudited unmasking): the fields start empty, say what is stored, masked, and left empty keep it. The
lawyer's audit rows hold the mobile masked."""

import datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_persons_edit_form_shows_the_numbers_masked_and_keeps_them_when_left_empty(client, world):
    from portal import services as portal_services
    from portal.models import AuditLog, Person

    # given a person with an ID number and a mobile, edited by the organization department
    person = portal_services.person_update(acting_user=world.org_staff, person=world.person_a,
                                           id_number="11010519491231002X", mobile="13912345678")
    client.force_login(world.org_staff)
    url = reverse("person_update", args=[person.pk])
    # when the form is opened
    body = client.get(url).content.decode()
    # then neither number is in the page, and both are said masked
    assert ("11010519491231002X" in body, "13912345678" in body) == (False, False)
    assert "当前：110***********002X；不修改请留空" in body
    assert "当前：139****5678；不修改请留空" in body
    # and saved with the numbers left empty, the person keeps them
    response = client.post(url, {"name": "李东湖", "id_number": "", "mobile": ""})
    assert response.status_code == 302
    person = Person.objects.get(pk=person.pk)
    assert (person.id_number, person.mobile) == ("11010519491231002X", "13912345678")
    assert AuditLog.objects.filter(action="person.unmask").count() == 0


def test_a_lawyers_edit_form_shows_the_mobile_masked_keeps_it_when_left_empty_and_audits_it_masked(client, world):
    from liaison.models import Lawyer
    from liaison.services import outreach
    from portal.models import AuditLog

    lawyer = outreach.lawyer_create(acting_user=world.org_staff, name="秦雅琴", law_firm="星湖众诚律师事务所",
                                    specialties="公司治理", mobile="13787654321",
                                    resident_since=datetime.date(2025, 3, 1), resident_until=None, is_active=True)
    client.force_login(world.org_staff)
    url = reverse("liaison:lawyer_update", args=[lawyer.pk])
    body = client.get(url).content.decode()
    assert "13787654321" not in body
    assert "当前：137****4321；不修改请留空" in body
    response = client.post(url, {"name": "秦雅琴", "law_firm": "星湖众诚律师事务所", "specialties": "公司治理",
                                 "mobile": "", "resident_since": "2025-03-01", "is_active": "on"})
    assert response.status_code == 302
    assert Lawyer.objects.get(pk=lawyer.pk).mobile == "13787654321"
    audited = AuditLog.objects.filter(action__in=["lawyer.create", "lawyer.update"]).order_by("pk")
    assert [(row.action, (row.after or {}).get("mobile")) for row in audited] == [
        ("lawyer.create", "137****4321"), ("lawyer.update", "137****4321")]
