import random

import pytest
from django.urls import reverse

from portal.identifiers import make_id_number, make_uscc
from portal.models import AuditLog, Enterprise
from tests.access import (
    OWN_ACCOUNT,
    REFERENCE_DATA,
    AccessCase,
    case_id,
    everyone,
    run_access_case,
    url_of,
    users,
)

_url, _users = url_of, users


NON_REGISTRY = ("bank_officer", "insurer_officer", "cadre", "admin")
NOT_ORG_STAFF = ("town_staff", "station", "enterprise_user", "leader", *NON_REGISTRY)
_rng = random.Random(20261205)
# Every tab of the enterprise page: each is tried below (test_every_enterprise_tab_has_a_case keeps the list whole).
ENTERPRISE_TAB_SLUGS = ("overview", "party", "credit", "insurance", "talent", "liaison", "appeals", "outreach",
                        "certificates")


def _new_enterprise(w):
    return {"uscc": make_uscc(_rng), "name": "东湖新材料有限公司", "kind": "private", "region": w.village_a.pk,
            "employees": 50, "registered_capital": "1000000"}


ACCESS_CASES = [
    AccessCase("password_change", _url("password_change"), right=everyone, why_no_other_scope=OWN_ACCOUNT),
    # A wrong old password: the form comes back with its error, and no password changes.
    AccessCase("password_change", _url("password_change"), method="post", right=everyone, ok=(200,),
               data=lambda w: {"old_password": "not-the-password", "new_password1": "Xk-2026-new-pass",
                               "new_password2": "Xk-2026-new-pass"},
               marker=lambda w: 'name="old_password"', why_no_other_scope=OWN_ACCOUNT),
    AccessCase("password_change_done", _url("password_change_done"), right=everyone, why_no_other_scope=OWN_ACCOUNT),
    AccessCase("home", _url("home"), right=everyone, why_no_other_scope=OWN_ACCOUNT),
    AccessCase(
        "enterprise_list", _url("enterprise_list"),
        right=_users("org_staff", "leader", "town_staff", "station", "enterprise_user"),
        wrong=_users("bank_officer", "insurer_officer", "admin"),
        # A cadre reads the enterprises it is paired with; in this world it has none.
        other_scope=_users("town_staff_b", "station_b_user", "enterprise_b_user", "park_station_user", "cadre"),
        other_status=(200,), marker=lambda w: w.ent_a.name,
    ),
    AccessCase(
        "enterprise_detail", _url("enterprise_detail", "ent_a.pk"),
        right=_users("org_staff", "leader", "town_staff", "station", "enterprise_user"),
        wrong=_users(*NON_REGISTRY),
        other_scope=_users("town_staff_b", "station_b_user", "enterprise_b_user", "park_station_user"),
        marker=lambda w: w.ent_a.uscc,
    ),
    *[AccessCase(
        "enterprise_tab", lambda w, tab=tab: reverse("enterprise_tab", args=[w.ent_a.pk, tab]),
        right=_users("org_staff", "leader", "town_staff", "station", "enterprise_user"), wrong=_users(*NON_REGISTRY),
        other_scope=_users("town_staff_b", "station_b_user", "enterprise_b_user", "park_station_user"),
        # A tab the user's role has nothing on leads back to the enterprise's page.
        ok=(200, 302), label=f"GET enterprise_tab ({tab})",
    ) for tab in ENTERPRISE_TAB_SLUGS],
    AccessCase("enterprise_create", _url("enterprise_create"), right=_users("org_staff"), wrong=_users(*NOT_ORG_STAFF)),
    AccessCase("enterprise_create", _url("enterprise_create"), method="post", data=_new_enterprise, ok=(302,),
               right=_users("org_staff"), wrong=_users(*NOT_ORG_STAFF)),
    AccessCase(
        "enterprise_update", _url("enterprise_update", "ent_a.pk"), right=_users("org_staff"),
        wrong=_users(*NOT_ORG_STAFF),
    ),
    AccessCase(
        "enterprise_update", _url("enterprise_update", "ent_a.pk"), method="post", ok=(302,),
        data=lambda w: {"uscc": w.ent_a.uscc, "name": "东湖精密机械股份有限公司", "kind": "private",
                        "region": w.village_a.pk, "employees": 60, "registered_capital": "2000000"},
        right=_users("org_staff"), wrong=_users(*NOT_ORG_STAFF),
    ),
    AccessCase(
        "person_list", _url("person_list"),
        right=_users("org_staff", "leader", "town_staff", "station", "enterprise_user"),
        wrong=_users("bank_officer", "insurer_officer", "admin"),
        other_scope=_users("town_staff_b", "station_b_user", "enterprise_b_user", "cadre"),
        other_status=(200,), marker=lambda w: w.person_a.name,
    ),
    AccessCase(
        "person_detail", _url("person_detail", "person_a.pk"),
        right=_users("org_staff", "leader", "town_staff", "station", "enterprise_user"),
        wrong=_users(*NON_REGISTRY), other_scope=_users("town_staff_b", "station_b_user", "enterprise_b_user"),
        marker=lambda w: w.person_a.name,
    ),
    AccessCase("person_create", _url("person_create"), right=_users("org_staff"), wrong=_users(*NOT_ORG_STAFF)),
    AccessCase("person_create", _url("person_create"), method="post", ok=(302,),
               data=lambda w: {"name": "赵新", "id_number": make_id_number(_rng)},
               right=_users("org_staff"), wrong=_users(*NOT_ORG_STAFF)),
    AccessCase("person_update", _url("person_update", "person_a.pk"), right=_users("org_staff"),
               wrong=_users(*NOT_ORG_STAFF)),
    AccessCase("person_update", _url("person_update", "person_a.pk"), method="post", ok=(302,),
               data=lambda w: {"name": "李东湖", "is_new_generation": "on"},
               right=_users("org_staff"), wrong=_users(*NOT_ORG_STAFF)),
    AccessCase(
        "person_unmask", _url("person_unmask", "person_a.pk"), method="post",
        right=_users("org_staff", "town_staff", "station"),
        wrong=_users("enterprise_user", "leader", *NON_REGISTRY),
        other_scope=_users("town_staff_b", "station_b_user"),
        marker=lambda w: w.person_a.id_number,
    ),
    AccessCase("station_list", _url("station_list"), right=everyone, marker=lambda w: w.station_a.name,
               why_no_other_scope=REFERENCE_DATA),
    AccessCase("station_detail", _url("station_detail", "station_a.pk"), right=everyone,
               marker=lambda w: w.station_a.name, why_no_other_scope=REFERENCE_DATA),
    AccessCase("region_list", _url("region_list"), right=everyone, marker=lambda w: w.town_a.name,
               why_no_other_scope=REFERENCE_DATA),
    AccessCase("institution_list", _url("institution_list"), right=everyone, marker=lambda w: w.bank.name,
               why_no_other_scope=REFERENCE_DATA),
    AccessCase(
        "audit_list", _url("audit_list"), right=_users("admin", "org_staff"),
        wrong=_users("town_staff", "station", "enterprise_user", "leader", "bank_officer", "cadre"),
    ),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, world):
    run_access_case(case, world)


def test_every_enterprise_tab_has_a_case():
    from portal.views.registry import ENTERPRISE_TABS

    assert set(ENTERPRISE_TAB_SLUGS) == {"overview"} | {slug for slug, *_ in ENTERPRISE_TABS}


def test_enterprise_list_filters_by_search_region_and_key_flag(world, client):
    client.force_login(world.org_staff)
    page = client.get(reverse("enterprise_list"), {"q": world.ent_b.uscc[:10]}).content.decode()
    assert world.ent_b.name in page
    assert world.ent_a.name not in page
    page = client.get(reverse("enterprise_list"), {"region": world.town_a.pk}).content.decode()
    assert world.ent_a.name in page
    assert world.ent_b.name not in page
    page = client.get(reverse("enterprise_list"), {"is_key": "true"}).content.decode()
    assert world.ent_a.name in page
    assert world.ent_b.name not in page


def test_enterprise_list_query_count_does_not_grow_with_rows(world, client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import EnterpriseFactory

    client.force_login(world.org_staff)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("enterprise_list"))
    EnterpriseFactory.create_batch(30, region=world.village_b)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("enterprise_list"))
    assert len(many) == len(few)


def test_enterprise_form_shows_a_bad_credit_code_at_its_field_and_writes_nothing(world, client):
    client.force_login(world.org_staff)
    before = Enterprise.objects.count()
    response = client.post(reverse("enterprise_create"), {
        "uscc": "91110108551385082X", "name": "坏代码公司", "kind": "private", "region": world.village_a.pk,
        "employees": 3, "registered_capital": "100.00",
    })
    assert response.status_code == 400
    assert response.context["form"].errors["uscc"] == ["统一社会信用代码校验位错误：第 18 位应为“Q”，实为“X”。"]
    assert "统一社会信用代码校验位错误" in response.content.decode()
    assert Enterprise.objects.count() == before


def test_enterprise_form_creates_and_redirects(world, client):
    client.force_login(world.org_staff)
    response = client.post(reverse("enterprise_create"), {
        "uscc": "91110108551385082q", "name": "好代码公司", "kind": "private", "region": world.village_a.pk,
        "employees": 3, "registered_capital": "100.50",
    })
    enterprise = Enterprise.objects.get(uscc="91110108551385082Q")
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprise_detail", args=[enterprise.pk])
    assert AuditLog.objects.filter(action="enterprise.create", object_id=str(enterprise.pk)).count() == 1


def test_enterprise_form_refuses_a_duplicate_code_at_its_field(world, client):
    client.force_login(world.org_staff)
    response = client.post(reverse("enterprise_create"), {
        "uscc": world.ent_a.uscc, "name": "重复", "kind": "private", "region": world.village_a.pk,
        "employees": 1, "registered_capital": "1",
    })
    assert response.status_code == 400
    assert response.context["form"].errors["uscc"] == [f"统一社会信用代码 {world.ent_a.uscc} 已登记。"]


def test_person_pages_show_masked_values_only(world, client):
    client.force_login(world.org_staff)
    for url in (reverse("person_list"), reverse("person_detail", args=[world.person_a.pk]),
                reverse("enterprise_detail", args=[world.ent_a.pk])):
        page = client.get(url).content.decode()
        assert world.person_a.id_number not in page
        assert world.person_a.mobile not in page
    assert world.person_a.id_number_masked in client.get(reverse("person_detail", args=[world.person_a.pk])).content.decode()


def test_unmask_is_post_only_and_each_look_is_audited(world, client):
    client.force_login(world.station)
    opened = client.get(reverse("person_unmask", args=[world.person_a.pk]))
    assert (opened.status_code, opened["Location"]) == (302, reverse("person_detail", args=[world.person_a.pk]))
    assert not AuditLog.objects.filter(action="person.unmask").exists()
    response = client.post(reverse("person_unmask", args=[world.person_a.pk]), REMOTE_ADDR="10.1.2.3")
    assert world.person_a.id_number in response.content.decode()
    log = AuditLog.objects.get(action="person.unmask")
    assert (log.actor, str(log.ip)) == (world.station, "10.1.2.3")


def test_menu_offers_only_reachable_pages(world, client):
    client.force_login(world.bank_officer)
    page = client.get(reverse("home")).content.decode()
    assert reverse("enterprise_list") not in page
    assert reverse("station_list") in page
    client.force_login(world.org_staff)
    page = client.get(reverse("home")).content.decode()
    assert reverse("enterprise_list") in page
    assert reverse("audit_list") in page


def test_pages_are_chinese_whatever_the_browser_asks_until_the_user_switches(world, client):
    client.force_login(world.org_staff)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    assert client.get(reverse("home"))["Content-Language"] == "en"
