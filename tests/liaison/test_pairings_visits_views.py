"""Pages of the pairings part, visits: the visit log and form, a cadre's own page, the enterprise tab
"联系领导", the home cards and the menu; and queries that do not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.choices import CadreLevel, PairingKind
from liaison.models import Cadre, Pairing, Visit
from liaison.selectors.pairings import appeal_list_url
from liaison.views.pairings import cadre_home_card, staff_home_card
from portal import navigation
from portal.choices import Role
from tests.access import AccessCase, case_id, run_access_case, url_of, users
from tests.homecards import counters

from .fixtures_pairings import D, entrepreneur, key_enterprise, page, pair, row, today, visit, with_visits

pytestmark = pytest.mark.django_db

OUTSIDERS = ("bank_officer", "insurer_officer", "admin", "enterprise_user", "station")


@pytest.fixture
def pw(lworld):
    return with_visits(lworld)


ACCESS_CASES = [
    AccessCase("liaison:visit_list", url_of("liaison:visit_list"),
               right=users("org_staff", "leader", "cadre", "town_staff"), wrong=users(*OUTSIDERS),
               other_scope=users("cadre_b", "town_staff_b"), other_status=(200,), marker=lambda w: "用工招聘难题座谈"),
    AccessCase("liaison:visit_detail", url_of("liaison:visit_detail", "visit_a.pk"),
               right=users("org_staff", "leader", "cadre", "town_staff"), wrong=users(*OUTSIDERS),
               other_scope=users("cadre_b", "town_staff_b"), marker=lambda w: "用工招聘难题座谈"),
    AccessCase("liaison:visit_create", url_of("liaison:visit_create"), right=users("org_staff", "cadre"),
               wrong=users("leader", "town_staff", *OUTSIDERS),
               why_no_other_scope="a blank form: a cadre's enterprise is checked on submission (below)"),
    AccessCase("liaison:visit_create", url_of("liaison:visit_create"), method="post", ok=(302,),
               data=lambda w: {"cadre": w.cadre_a_obj.pk, "enterprise": w.ent_b.uscc, "kind": "meeting",
                               "visited_on": today().isoformat(), "discussed": "座谈企业发展规划"},
               right=users("org_staff"), wrong=users("leader", "town_staff", *OUTSIDERS),
               tried_elsewhere=(Role.CADRE,), label="POST liaison:visit_create (staff)"),
    AccessCase("liaison:visit_create", url_of("liaison:visit_create"), method="post", ok=(302,),
               data=lambda w: {"enterprise": w.ent_a.pk, "kind": "visit", "visited_on": today().isoformat(),
                               "discussed": "了解企业订单情况"},
               right=users("cadre"), wrong=users("leader", "town_staff", *OUTSIDERS), other_scope=users("cadre_b"),
               other_status=(400,), tried_elsewhere=(Role.ORG_STAFF,), label="POST liaison:visit_create (cadre)"),
    AccessCase("liaison:my_pairings", url_of("liaison:my_pairings"), right=users("cadre"),
               wrong=users("org_staff", "leader", "town_staff", *OUTSIDERS), other_scope=users("cadre_b"),
               other_status=(200,), marker=lambda w: "东湖精密机械有限公司"),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, pw):
    run_access_case(case, pw)


# --- visits --------------------------------------------------------------------------------------

def test_the_visit_list_shows_each_role_its_own_and_filters(client, pw):
    w = pw
    body = page(client, w.org_staff, "liaison:visit_list")
    assert "用工招聘难题座谈" in body
    assert "西山食品冷链仓储" in body
    body = page(client, w.cadre_b, "liaison:visit_list")
    assert "西山食品冷链仓储" in body
    assert "用工招聘难题座谈" not in body
    body = page(client, w.town_staff_b, "liaison:visit_list")
    assert "西山食品冷链仓储" in body
    assert "用工招聘难题座谈" not in body
    body = page(client, w.org_staff, "liaison:visit_list", cadre=w.cadre_b_obj.pk)
    assert "西山食品冷链仓储" in body
    assert "用工招聘难题座谈" not in body
    body = page(client, w.org_staff, "liaison:visit_list", q="招聘")
    assert "用工招聘难题座谈" in body
    assert "西山食品冷链仓储" not in body
    body = page(client, w.org_staff, "liaison:visit_list", since="2026-03-03")
    assert "用工招聘难题座谈" not in body


def test_a_cadre_chooses_among_its_own_enterprises(client, pw):
    w = pw
    via_entrepreneur = entrepreneur(w, "张企业家")
    reached = via_entrepreneur.enterprise_links.get().enterprise
    pair(w.cadre_a_obj, via_entrepreneur)
    body = page(client, w.cadre, "liaison:visit_create")
    select = body.split('name="enterprise"')[1].split("</select>")[0]
    assert "东湖精密机械有限公司" in select
    assert reached.name in select
    assert "西山食品有限公司" not in select
    assert 'name="cadre"' not in body
    client.force_login(w.cadre)
    response = client.post(reverse("liaison:visit_create"), {"enterprise": w.ent_b.pk, "kind": "visit",
                                                             "visited_on": "2026-03-01", "discussed": "了解情况"})
    assert response.status_code == 400
    assert 'data-field="enterprise">只能选择您当前联系的企业。</div>' in response.content.decode()
    response = client.post(reverse("liaison:visit_create"), {"enterprise": reached.pk, "kind": "phone",
                                                             "visited_on": "2026-03-01", "discussed": "了解订单情况"})
    assert response.status_code == 302
    assert response["Location"] == reverse("liaison:my_pairings")
    made = Visit.objects.get(enterprise=reached)
    assert (made.cadre, made.kind, made.created_by) == (w.cadre_a_obj, "phone", w.cadre)


def test_staff_give_the_enterprise_by_its_code(client, pw):
    w = pw
    body = page(client, w.org_staff, "liaison:visit_create")
    assert 'name="cadre"' in body
    assert "郑明远" in body
    client.force_login(w.org_staff)
    response = client.post(reverse("liaison:visit_create"), {
        "cadre": w.cadre_b_obj.pk, "enterprise": "91510799MA0000000X", "kind": "visit",
        "visited_on": "2999-01-01", "discussed": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-field="enterprise">没有找到信用代码为 91510799MA0000000X 的企业。</div>' in body
    assert 'data-field="discussed">请填写交流内容。</div>' in body
    response = client.post(reverse("liaison:visit_create"), {
        "cadre": w.cadre_b_obj.pk, "enterprise": w.ent_b.uscc, "kind": "visit", "visited_on": "2999-01-01",
        "discussed": "了解企业情况"})
    assert response.status_code == 400
    assert f'data-field="visited_on">走访日期不能晚于今天（{today().isoformat()}）。</div>' in response.content.decode()
    assert Visit.objects.count() == 2


def test_a_cadre_account_without_a_cadre_cannot_record(client, pw):
    from portal.choices import Role
    from tests.factories import user_with_role

    lone = user_with_role("t_cadre_lone", Role.CADRE)
    page(client, lone, "liaison:visit_create", status=403)
    body = page(client, lone, "liaison:my_pairings")
    assert "您的账号尚未关联联系领导，请联系组织部。" in body


# --- a cadre's own page, the enterprise tab, home cards and the menu -------------------------------

def test_my_page_lists_enterprises_with_their_last_visit(client, pw):
    w = pw
    via_entrepreneur = entrepreneur(w, "张企业家")
    reached = via_entrepreneur.enterprise_links.get().enterprise
    pair(w.cadre_a_obj, via_entrepreneur)
    visit(w.cadre_a_obj, w.ent_a, on=D(2026, 5, 20), discussed="第二次走访")
    visit(w.cadre_b_obj, w.ent_a, on=D(2026, 6, 1), discussed="别人的走访")  # not 吴国平's
    body = page(client, w.cadre, "liaison:my_pairings")
    a = row(body, "enterprise", w.ent_a.pk)
    assert "结对重点民企" in a
    assert "经企业家 李东湖" in a
    assert "2026-05-20" in a
    assert ">2</td>" in a
    r = row(body, "enterprise", reached.pk)
    assert "经企业家 张企业家" in r
    assert "—" in r
    assert body.index(f'data-enterprise="{w.ent_a.pk}"') < body.index(f'data-enterprise="{reached.pk}"')
    assert "别人的走访" not in body
    appeals = appeal_list_url()
    if appeals is None:
        assert "问题诉求" not in body
    else:
        assert f'href="{appeals}?enterprise={w.ent_a.pk}"' in body


def test_the_enterprise_tab_shows_its_leaders_and_visits_to_those_allowed(client, pw):
    w = pw
    url = reverse("enterprise_tab", args=[w.ent_a.pk, "liaison"])
    client.force_login(w.org_staff)
    body = client.get(url).content.decode()
    leaders = body.split('id="enterprise-leaders"')[1].split("</table>")[0]
    assert leaders.count("吴国平") == 2
    assert "本企业" in leaders
    assert "企业家 李东湖" in leaders
    assert "用工招聘难题座谈" in body
    client.force_login(w.enterprise_user)
    body = client.get(url).content.decode()
    assert "吴国平" in body
    assert "市委常委、组织部部长" in body
    assert "用工招聘难题座谈" not in body
    assert 'id="enterprise-visits"' not in body
    client.force_login(w.cadre)
    body = client.get(url).content.decode()
    assert "吴国平" in body
    assert "用工招聘难题座谈" in body
    client.force_login(w.station)  # sees the enterprise, not its pairings: no tab
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprise_detail", args=[w.ent_a.pk])


def test_home_cards(client, pw):
    w = pw
    body = page(client, w.cadre, "home")
    card = body.split('id="liaison-cadre-card"')[1]
    assert "东湖精密机械有限公司" in card
    assert "企业家 李东湖" in card
    assert "2026-03-02" in card
    body = page(client, w.org_staff, "home")
    card = body.split('id="liaison-staff-card"')[1]
    assert counters(card.split('class="card"')[0]) == {"结对不足": 1, "结对超出": 0}
    assert 'data-figure="uncovered">1<' in card
    body = page(client, w.bank_officer, "home")
    assert "liaison-staff-card" not in body
    assert "liaison-cadre-card" not in body


@pytest.mark.parametrize(("user", "names"), [
    ("org_staff", {"liaison:cadre_list", "liaison:pairing_coverage", "liaison:visit_list"}),
    ("leader", {"liaison:cadre_list", "liaison:pairing_coverage", "liaison:visit_list"}),
    ("town_staff", {"liaison:cadre_list", "liaison:visit_list"}),
    ("cadre", {"liaison:visit_list", "liaison:my_pairings"}),
    ("bank_officer", set()), ("enterprise_user", set()), ("admin", set()), ("station", set()),
])
def test_the_menu_offers_only_what_opens(pw, user, names):
    mine = {"liaison:cadre_list", "liaison:pairing_coverage", "liaison:visit_list", "liaison:my_pairings"}
    shown = {item["name"] for item in navigation.menu_for(getattr(pw, user))} & mine
    assert shown == names


# --- queries -------------------------------------------------------------------------------------

def _more(w, n):
    """n more county-level cadres, each with two key enterprises, an entrepreneur and visits."""
    for i in range(n):
        cadre = Cadre.objects.create(name=f"测试领导{i}", post="副市长", level=CadreLevel.COUNTY)
        for j in range(2):
            enterprise = key_enterprise(w, f"测试重点民企{i}-{j}")
            pair(cadre, enterprise)
            visit(cadre, enterprise)
            visit(w.cadre_a_obj, enterprise)
        pair(cadre, entrepreneur(w, f"测试企业家{i}"))
        pair(w.cadre_a_obj, entrepreneur(w, f"吴的企业家{i}"))
    for i in range(n):
        key_enterprise(w, f"无人联系企业{i}")


PAGES = [("org_staff", "liaison:cadre_list"), ("org_staff", "liaison:visit_list"),
         ("leader", "liaison:pairing_coverage"), ("cadre", "liaison:my_pairings")]


def test_queries_do_not_grow_with_rows(client, pw, rf):
    w = pw

    def counts():
        result = {}
        for user, name in PAGES:
            client.force_login(getattr(w, user))
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name)).status_code == 200
            result[(user, name)] = len(queries)
        client.force_login(w.org_staff)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("liaison:cadre_detail", args=[w.cadre_a_obj.pk])).status_code == 200
        result["cadre_detail"] = len(queries)
        # the home cards on their own: the rest of the home page is not this part's
        for user, card in (("cadre", cadre_home_card), ("org_staff", staff_home_card)):
            request = rf.get("/")
            request.user = type(getattr(w, user)).objects.get(pk=getattr(w, user).pk)
            with CaptureQueriesContext(connection) as queries:
                assert card(request) is not None
            result[(user, card.__name__)] = len(queries)
        return result

    _more(w, 1)
    few = counts()
    _more(w, 9)
    assert Pairing.objects.filter(cadre=w.cadre_a_obj, kind=PairingKind.ENTREPRENEUR).count() == 11
    assert counts() == few
