"""The enterprise form names its legal representative and contact person by name and ID number: searched
among the people the user sees (masked), or entered inline as a new person; never by a record number."""

import random

import pytest
from django.test import Client
from django.urls import reverse

from portal.identifiers import make_id_number, make_mobile, make_uscc
from portal.models import AuditLog, Enterprise, Person
from tests.access import AccessCase, case_id, run_access_case, users

ACCESS_CASES = [
    AccessCase("person_search", lambda w: reverse("person_search") + "?q=李东湖",
               right=users("org_staff", "leader", "town_staff", "station", "enterprise_user"),
               wrong=users("bank_officer", "insurer_officer", "admin"),
               # A cadre finds the people of its paired enterprises; in this world it has none.
               other_scope=users("town_staff_b", "station_b_user", "enterprise_b_user", "cadre"), other_status=(200,),
               marker=lambda w: w.person_a.id_number_masked, label="GET person_search"),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, world):
    run_access_case(case, world)


def _search(world, user, text):
    client = Client()
    client.force_login(user)
    return client.get(reverse("person_search"), {"q": text})


def test_search_finds_people_by_name_with_their_numbers_masked(world):
    # given town A's staffer, who sees the people of town A's enterprises
    # when they type part of a name
    response = _search(world, world.town_staff, "东湖")
    # then the person comes back masked, and nothing whole
    assert response.status_code == 200
    assert response.json() == {"results": [{"id": world.person_a.pk, "name": "李东湖",
                                            "id_number": world.person_a.id_number_masked,
                                            "mobile": world.person_a.mobile_masked}]}
    assert world.person_a.id_number not in response.content.decode()
    assert world.person_a.mobile not in response.content.decode()


def test_search_stays_within_the_people_the_user_sees(world):
    # town A's staffer does not find town B's legal representative, by name or by whole ID number
    assert _search(world, world.town_staff, "王西山").json() == {"results": []}
    assert _search(world, world.town_staff, world.person_b.id_number).json() == {"results": []}
    # the organization department does
    assert [p["name"] for p in _search(world, world.org_staff, "王西山").json()["results"]] == ["王西山"]


def test_search_by_id_number_needs_the_whole_number(world):
    whole = _search(world, world.org_staff, world.person_a.id_number.lower()).json()["results"]
    part = _search(world, world.org_staff, world.person_a.id_number[:10]).json()["results"]
    assert ([p["name"] for p in whole], part) == (["李东湖"], [])


def test_a_role_that_may_not_see_people_is_refused(world):
    assert _search(world, world.bank_officer, "李").status_code == 403
    assert _search(world, world.admin, "李").status_code == 403


def _enterprise_data(world, **extra):
    data = {"uscc": make_uscc(random.Random(7)), "name": "星湖新材料有限公司", "kind": "private", "industry": "C",
            "region": world.village_a.pk, "employees": "30", "registered_capital": "2000000", "address": "东湖村 1 号"}
    data.update(extra)
    return data


def test_the_form_asks_for_people_by_name_and_id_number_not_by_number(world):
    client = Client()
    client.force_login(world.org_staff)
    page = client.get(reverse("enterprise_create")).content.decode()
    assert "人员编号" not in page
    assert 'name="legal_representative_name"' in page
    assert 'name="legal_representative_id_number"' in page
    assert 'name="contact_mobile"' in page
    assert 'type="hidden" name="legal_representative"' in page
    assert 'data-search-url="/people/search/"' in page
    assert "portal/person_picker.js" in page


def test_an_enterprise_is_registered_with_a_new_person_and_an_existing_one(world):
    # given the organization department, a new legal representative typed inline, an existing contact chosen
    client = Client()
    client.force_login(world.org_staff)
    id_number, mobile = make_id_number(random.Random(11)), make_mobile(random.Random(11))
    response = client.post(reverse("enterprise_create"), _enterprise_data(
        world, legal_representative_name="赵新材", legal_representative_id_number=id_number,
        legal_representative_mobile=mobile, contact=world.person_a.pk))
    # then the enterprise is registered with both, the new person created once, and both writes audited
    enterprise = Enterprise.objects.get(name="星湖新材料有限公司")
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprise_detail", args=[enterprise.pk])
    assert (enterprise.legal_representative.name, enterprise.legal_representative.id_number,
            enterprise.legal_representative.mobile) == ("赵新材", id_number, mobile)
    assert enterprise.contact == world.person_a
    assert list(AuditLog.objects.filter(action__in=["person.create", "enterprise.create"])
                .order_by("pk").values_list("action", flat=True)) == ["person.create", "enterprise.create"]


def test_the_same_new_person_for_both_roles_is_created_once(world):
    client = Client()
    client.force_login(world.org_staff)
    id_number = make_id_number(random.Random(12))
    person = {"name": "钱同一", "id_number": id_number}
    client.post(reverse("enterprise_create"), _enterprise_data(
        world, **{f"{role}_{k}": v for role in ("legal_representative", "contact") for k, v in person.items()}))
    enterprise = Enterprise.objects.get(name="星湖新材料有限公司")
    assert enterprise.legal_representative == enterprise.contact
    assert Person.objects.filter(id_number=id_number).count() == 1


def test_a_new_person_typed_with_an_existing_id_number_and_name_is_that_person(world):
    client = Client()
    client.force_login(world.org_staff)
    client.post(reverse("enterprise_create"), _enterprise_data(
        world, legal_representative_name="李东湖", legal_representative_id_number=world.person_a.id_number))
    assert Enterprise.objects.get(name="星湖新材料有限公司").legal_representative == world.person_a
    assert Person.objects.filter(name="李东湖").count() == 1


@pytest.mark.parametrize(("typed", "field", "message"), [
    ({"legal_representative_name": "赵新材", "legal_representative_id_number": "110101199003071234"},
     "legal_representative_id_number", "身份证号校验码错误：第 18 位应为“3”。"),
    ({"legal_representative_id_number": "11010119900307123X"}, "legal_representative_name", "请填写姓名。"),
    ({"contact_name": "孙联系"}, "contact_id_number", "请填写身份证号。"),
    ({"contact_name": "孙联系", "contact_id_number": "@id", "contact_mobile": "1380000"},
     "contact_mobile", None),
    ({"legal_representative_name": "周别名", "@existing_id": "legal_representative_id_number"},
     "legal_representative_id_number", "该身份证号已登记在另一姓名下，请核对，或搜索选择已有人员。"),
], ids=["wrong check digit", "no name", "no id number", "wrong mobile", "id number of someone else"])
def test_a_wrong_new_person_is_refused_at_its_field_and_nothing_is_written(world, typed, field, message):
    # given a new person typed wrongly
    client = Client()
    client.force_login(world.org_staff)
    typed = dict(typed)
    if typed.pop("@existing_id", None):
        typed["legal_representative_id_number"] = world.person_a.id_number
    typed = {k: (make_id_number(random.Random(13)) if v == "@id" else v) for k, v in typed.items()}
    people = Person.objects.count()
    # when the form is sent
    response = client.post(reverse("enterprise_create"), _enterprise_data(world, **typed))
    # then it is refused at that field, the summary links to it, what was typed stays, and nothing is written
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert len(errors) == 1
    if message:
        assert errors == [message]
    page = response.content.decode()
    assert f'href="#id_{field}"' in page
    assert f'aria-describedby="id_{field}_error"' in page
    assert 'value="星湖新材料有限公司"' in page
    assert Person.objects.count() == people
    assert not Enterprise.objects.filter(name="星湖新材料有限公司").exists()


def test_a_person_outside_the_users_sight_cannot_be_chosen_by_a_forged_number(world):
    client = Client()
    client.force_login(world.org_staff)
    response = client.post(reverse("enterprise_create"), _enterprise_data(world, contact="999999"))
    assert response.status_code == 400
    assert response.context["form"].errors["contact"] == ["所选人员不存在或您无权查看，请重新搜索选择。"]


def test_editing_shows_the_chosen_people_masked(world):
    client = Client()
    client.force_login(world.org_staff)
    page = client.get(reverse("enterprise_update", args=[world.ent_a.pk])).content.decode()
    assert f"李东湖（{world.person_a.id_number_masked}）" in page
    assert world.person_a.id_number not in page


# --- the same picker wherever a form names a person -----------------------------------------------------

def _picker(world, user=None, **kwargs):
    from portal.forms import PersonPickerField

    return PersonPickerField(user=user or world.town_staff, **kwargs)


@pytest.mark.parametrize(("typed", "expected"), [
    ({"pk": "@a", "q": ""}, "李东湖"),  # chosen from the search results
    ({"pk": "", "q": "李东湖"}, "李东湖"),  # typed whole, without the script
    ({"pk": "", "q": "@a_id"}, "李东湖"),
    ({"pk": "", "q": ""}, None),
], ids=["chosen", "whole name", "whole id number", "nothing"])
def test_the_picker_finds_the_person_chosen_or_typed(world, typed, expected):
    value = {k: (str(world.person_a.pk) if v == "@a" else world.person_a.id_number if v == "@a_id" else v)
             for k, v in typed.items()}
    person = _picker(world, required=False).clean(value)
    assert (person.name if person else None) == expected


@pytest.mark.parametrize(("typed", "message"), [
    ({"pk": "@b", "q": ""}, "所选人员不存在或您无权查看，请重新搜索选择。"),  # town B's person, for town A's staff
    ({"pk": "", "q": "王西山"}, "没有找到“王西山”：请输入完整的姓名或身份证号，或从搜索结果中选择。"),
    ({"pk": "", "q": "李东"}, "没有找到“李东”：请输入完整的姓名或身份证号，或从搜索结果中选择。"),
    ({"pk": "", "q": "@same"}, "有不止一人名为“李东湖”，请输入其完整身份证号，或从搜索结果中选择。"),
    ({"pk": "", "q": ""}, "该字段是必填项。"),
], ids=["out of sight", "name out of sight", "part of a name", "two of that name", "nothing"])
def test_the_picker_refuses_what_it_cannot_name(world, typed, message):
    from django import forms

    from tests.factories import PersonFactory

    if typed["q"] == "@same":
        twin = PersonFactory(name="李东湖")
        world.ent_a.contact = twin
        world.ent_a.save()
        typed = {"pk": "", "q": "李东湖"}
    value = {k: (str(world.person_b.pk) if v == "@b" else v) for k, v in typed.items()}
    with pytest.raises(forms.ValidationError) as refused:
        _picker(world, required=True).clean(value)
    assert refused.value.messages == [message]


def test_the_organization_form_names_its_secretary_with_the_picker(world):
    from ratings.models import PartyOrganization

    organization = PartyOrganization.objects.create(name="东湖精密机械有限公司党支部", kind="branch",
                                                    region=world.town_a, secretary=world.person_a)
    page = Client()
    page.force_login(world.org_staff)
    html = page.get(reverse("ratings:organization_update", args=[organization.pk])).content.decode()
    assert "人员编号" not in html
    assert f'<input type="hidden" name="secretary" value="{world.person_a.pk}" data-person-id>' in html
    assert f"李东湖（{world.person_a.id_number_masked}）" in html
    assert '<label class="form-label" for="id_secretary_q">书记</label>' in html
