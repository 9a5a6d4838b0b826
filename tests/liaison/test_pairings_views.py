"""Pages of the pairings part, cadres and pairings: who reaches each one, what each shows, and the
forms' errors at their fields. (Visits, a cadre's own page, the enterprise tab, the home cards, the
menu and the query counts: test_pairings_visits_views.py.)"""

import pytest
from django.urls import reverse

from liaison.models import Cadre, Pairing
from tests.access import AccessCase, case_id, run_access_case, url_of, users

from .fixtures_pairings import D, entrepreneur, key_enterprise, page, pair, row, today, with_visits, written

pytestmark = pytest.mark.django_db

OUTSIDERS = ("bank_officer", "insurer_officer", "admin", "enterprise_user", "station")
NOT_STAFF = ("leader", "town_staff", "cadre", "cadre_b", *OUTSIDERS)


@pytest.fixture
def pw(lworld):
    return with_visits(lworld)


def _end_data(w):
    prefix = f"end{w.pairing_b.pk}"
    return {f"{prefix}-ended_on": today().isoformat(), f"{prefix}-reason": "工作调整"}


# The city's leaders: every town's staff sees who they are and whom they are paired with in the town.
CITY_CADRES = "the city's cadres: the staff of every town see them all"

ACCESS_CASES = [
    AccessCase("liaison:cadre_list", url_of("liaison:cadre_list"), right=users("org_staff", "leader", "town_staff"),
               wrong=users(*OUTSIDERS), other_scope=users("cadre"), other_status=(200,), marker=lambda w: "郑明远",
               why_no_other_scope=CITY_CADRES),
    AccessCase("liaison:cadre_detail", url_of("liaison:cadre_detail", "cadre_b_obj.pk"),
               right=users("org_staff", "leader", "town_staff", "cadre_b"), wrong=users(*OUTSIDERS),
               other_scope=users("cadre"), marker=lambda w: "郑明远", why_no_other_scope=CITY_CADRES),
    AccessCase("liaison:cadre_create", url_of("liaison:cadre_create"), right=users("org_staff"),
               wrong=users(*NOT_STAFF)),
    AccessCase("liaison:cadre_create", url_of("liaison:cadre_create"), method="post", ok=(302,),
               data=lambda w: {"name": "钱志远", "post": "副市长", "level": "county", "order": "10", "is_active": "on"},
               right=users("org_staff"), wrong=users(*NOT_STAFF), label="POST liaison:cadre_create"),
    AccessCase("liaison:cadre_update", url_of("liaison:cadre_update", "cadre_b_obj.pk"), right=users("org_staff"),
               wrong=users(*NOT_STAFF)),
    AccessCase("liaison:cadre_update", url_of("liaison:cadre_update", "cadre_b_obj.pk"), method="post", ok=(302,),
               data=lambda w: {"name": "郑明远", "post": "市委常委、副市长", "level": "county", "order": "9",
                               "user": w.cadre_b.pk, "is_active": "on"},
               right=users("org_staff"), wrong=users(*NOT_STAFF), label="POST liaison:cadre_update"),
    AccessCase("liaison:pairing_create", url_of("liaison:pairing_create", "cadre_b_obj.pk"), method="post", ok=(302,),
               data=lambda w: {"kind": "enterprise", "enterprise": w.free_key.uscc,
                               "started_on": today().isoformat()},
               right=users("org_staff"), wrong=users(*NOT_STAFF)),
    AccessCase("liaison:pairing_end", url_of("liaison:pairing_end", "pairing_b.pk"), method="post", ok=(302,),
               data=_end_data, right=users("org_staff"), wrong=users(*NOT_STAFF)),
    AccessCase("liaison:pairing_coverage", url_of("liaison:pairing_coverage"), right=users("org_staff", "leader"),
               wrong=users("town_staff", "cadre", *OUTSIDERS), marker=lambda w: "郑明远"),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, pw):
    run_access_case(case, pw)


# --- cadres --------------------------------------------------------------------------------------

def test_the_cadre_list_shows_counts_and_states_and_filters_them(client, pw):
    w = pw
    body = page(client, w.leader, "liaison:cadre_list")
    # the secretary first, then the county-level leaders
    assert body.index("周立新") < body.index("吴国平") < body.index("郑明远")
    a = row(body, "cadre", w.cadre_a_obj.pk)
    assert 'data-count="enterprise">1<' in a
    assert 'data-count="entrepreneur">1<' in a
    assert 'data-state="ok"' in a
    assert "2026-03-02" in a
    b = row(body, "cadre", w.cadre_b_obj.pk)
    assert 'data-count="entrepreneur">0<' in b
    assert 'data-state="under"' in b
    assert 'data-state=""' in row(body, "cadre", w.secretary.pk)  # not held to the range
    assert reverse("liaison:cadre_create") not in body  # the leader only reads

    body = page(client, w.leader, "liaison:cadre_list", range_state="under")
    assert "郑明远" in body
    assert "吴国平" not in body
    assert "周立新" not in body
    body = page(client, w.leader, "liaison:cadre_list", range_state="ok")
    assert "吴国平" in body
    assert "郑明远" not in body
    assert "周立新" not in body
    body = page(client, w.leader, "liaison:cadre_list", level="secretary")
    assert "周立新" in body
    assert "吴国平" not in body
    body = page(client, w.leader, "liaison:cadre_list", q="组织部")
    assert "吴国平" in body
    assert "郑明远" not in body


def test_an_over_range_leader_answers_to_over(client, pw):
    w = pw
    for n in range(3):
        pair(w.cadre_a_obj, key_enterprise(w, f"旧台账企业{n}"), started_on=D(2018, 5, 1))
    body = page(client, w.org_staff, "liaison:cadre_list", range_state="over")
    assert "吴国平" in body
    assert "郑明远" not in body
    assert 'data-count="enterprise">4<' in row(body, "cadre", w.cadre_a_obj.pk)


def test_the_cadre_page_shows_pairings_history_visits_and_the_forms_to_staff_only(client, pw):
    w = pw
    ended = pair(w.cadre_a_obj, key_enterprise(w, "已迁出企业有限公司"), started_on=D(2022, 1, 1),
                 ended_on=D(2024, 6, 30))
    body = page(client, w.org_staff, "liaison:cadre_detail", w.cadre_a_obj.pk)
    current = body.split('id="pairings-current"')[1].split("</table>")[0]
    assert "东湖精密机械有限公司" in current
    assert "李东湖" in current
    past = body.split('id="pairings-past"')[1].split("</table>")[0]
    assert "已迁出企业有限公司" in past
    assert "2022-01-01 ~ 2024-06-30" in past
    assert "工作调整" in past
    assert f'data-pairing="{ended.pk}"' not in current
    assert "用工招聘难题座谈" in body
    assert 'id="pairing-form"' in body
    assert body.count('class="end-form ') == 2
    body = page(client, w.leader, "liaison:cadre_detail", w.cadre_a_obj.pk)
    assert "东湖精密机械有限公司" in body
    assert 'id="pairing-form"' not in body
    assert 'class="end-form ' not in body


def test_town_staff_see_only_the_pairings_and_visits_of_their_region(client, pw):
    w = pw
    body = page(client, w.town_staff, "liaison:cadre_detail", w.cadre_b_obj.pk)
    assert "郑明远" in body
    assert "西山食品有限公司" not in body
    assert "西山食品冷链仓储" not in body
    assert "当前没有结对" in body


def test_a_pairing_refused_is_shown_at_its_field_and_nothing_is_written(client, pw):
    w = pw
    client.force_login(w.org_staff)
    url = reverse("liaison:pairing_create", args=[w.cadre_b_obj.pk])
    before = written()
    # a private enterprise that is not a key one
    response = client.post(url, {"kind": "enterprise", "enterprise": w.ent_park.uscc.lower(),
                                 "started_on": "2026-02-01"})
    assert response.status_code == 400
    body = response.content.decode()
    assert ('<div class="invalid-feedback d-block" data-field="enterprise">“星湖传感科技有限公司”不是重点民营企业，'
            "县级领导干部联系的企业须为重点民企。</div>") in body
    # a code nobody has
    response = client.post(url, {"kind": "enterprise", "enterprise": "91510799MA0000000X", "started_on": "2026-02-01"})
    assert response.status_code == 400
    assert "没有找到信用代码为 91510799MA0000000X 的企业。" in response.content.decode()
    # a fourth entrepreneur, at the person field
    for n in range(3):
        pair(w.cadre_b_obj, entrepreneur(w, f"企业家{n}"))
    fourth = entrepreneur(w, "第四位企业家")
    response = client.post(url, {"kind": "entrepreneur", "person": fourth.pk, "started_on": "2026-02-01"})
    assert response.status_code == 400
    assert ('data-field="person">每名县级领导干部联系企业家不超过3名（现已联系3名）。</div>'
            in response.content.decode())
    assert Pairing.objects.filter(cadre=w.cadre_b_obj).count() == 4
    assert written()[2:] == before[2:]  # no visit, no audit row


def test_a_pairing_is_made_from_the_form(client, pw):
    w = pw
    client.force_login(w.org_staff)
    response = client.post(reverse("liaison:pairing_create", args=[w.cadre_b_obj.pk]),
                           {"kind": "enterprise", "enterprise": w.free_key.uscc, "started_on": "2026-02-01",
                            "note": "新任"})
    assert response.status_code == 302
    assert response["Location"] == reverse("liaison:cadre_detail", args=[w.cadre_b_obj.pk])
    created = Pairing.objects.get(cadre=w.cadre_b_obj, enterprise=w.free_key)
    assert (created.started_on, created.note, created.is_current) == (D(2026, 2, 1), "新任", True)


def test_ending_a_pairing_needs_a_reason_at_its_field(client, pw):
    w = pw
    client.force_login(w.org_staff)
    url = reverse("liaison:pairing_end", args=[w.pairing_b.pk])
    prefix = f"end{w.pairing_b.pk}"
    response = client.post(url, {f"{prefix}-ended_on": "2026-01-04", f"{prefix}-reason": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-field="reason">请写明结束原因。</div>' in body
    response = client.post(url, {f"{prefix}-ended_on": "2026-01-04", f"{prefix}-reason": "工作调整"})
    assert 'data-field="ended_on">结束日期不能早于开始日期 2026-01-05。</div>' in response.content.decode()
    w.pairing_b.refresh_from_db()
    assert w.pairing_b.is_current
    response = client.post(url, {f"{prefix}-ended_on": "2026-02-01", f"{prefix}-reason": "工作调整"})
    assert response.status_code == 302
    w.pairing_b.refresh_from_db()
    assert (w.pairing_b.ended_on, w.pairing_b.end_reason) == (D(2026, 2, 1), "工作调整")
    # ending it again from a page opened before: a message, not a form
    response = client.post(url, {f"{prefix}-ended_on": "2026-02-02", f"{prefix}-reason": "重复"}, follow=True)
    assert "该结对已于 2026-02-01 结束。" in response.content.decode()


def test_the_cadre_form_shows_the_services_refusal_at_its_field(client, pw):
    w = pw
    client.force_login(w.org_staff)
    response = client.post(reverse("liaison:cadre_create"), {"name": "林海", "post": "市委书记",
                                                             "level": "secretary", "is_active": "on"})
    assert response.status_code == 400
    assert 'data-field="level">已有在岗的市委书记“周立新”领衔，请先将其设为不在岗。</div>' in response.content.decode()
    response = client.post(reverse("liaison:cadre_create"), {"name": "", "post": "", "level": "county"})
    body = response.content.decode()
    assert 'data-field="name">请填写姓名。</div>' in body
    assert 'data-field="post">请填写职务。</div>' in body
    response = client.post(reverse("liaison:cadre_update", args=[w.cadre_a_obj.pk]),
                           {"name": "吴国平", "post": "市委常委、组织部部长", "level": "county", "user": w.cadre.pk})
    assert response.status_code == 400  # is_active unticked while paired
    assert 'data-field="is_active">该领导还有 2 项当前结对' in response.content.decode()
    assert Cadre.objects.filter(name="林海").count() == 0
    assert Cadre.objects.get(pk=w.cadre_a_obj.pk).is_active


def test_the_cadre_form_edits_a_cadre(client, pw):
    w = pw
    client.force_login(w.org_staff)
    body = page(client, w.org_staff, "liaison:cadre_update", w.cadre_b_obj.pk)
    assert 'value="郑明远"' in body
    response = client.post(reverse("liaison:cadre_update", args=[w.cadre_b_obj.pk]),
                           {"name": "郑明远", "post": "市委常委、副市长", "unit": "星湖市人民政府", "level": "county",
                            "order": "9", "user": w.cadre_b.pk, "is_active": "on"})
    assert response.status_code == 302
    cadre = Cadre.objects.get(pk=w.cadre_b_obj.pk)
    assert (cadre.post, cadre.order, cadre.user_id, cadre.is_active) == ("市委常委、副市长", 9, w.cadre_b.pk, True)


# --- coverage ------------------------------------------------------------------------------------

def test_the_coverage_page_lists_under_over_and_key_enterprises_without_a_leader(client, pw):
    w = pw
    for n in range(3):
        pair(w.cadre_a_obj, key_enterprise(w, f"旧台账企业{n}"), started_on=D(2018, 5, 1))
    key_enterprise(w, "东湖合作社", kind="coop")  # not a private enterprise: not counted
    body = page(client, w.leader, "liaison:pairing_coverage")
    figures = {name: body.split(f'data-figure="{name}">')[1].split("<")[0]
               for name in ("county", "ok", "under", "over", "covered", "keys", "uncovered")}
    # two county-level leaders: 吴国平 over (4 enterprises), 郑明远 under (no entrepreneur); the key
    # private enterprises: 东湖精密, 西山食品, the three old ones (covered) and 西山纺织 (not)
    assert figures == {"county": "2", "ok": "0", "under": "1", "over": "1", "covered": "5", "keys": "6",
                       "uncovered": "1"}
    under = body.split('id="under"')[1].split("</table>")[0]
    over = body.split('id="over"')[1].split("</table>")[0]
    assert "郑明远" in under
    assert "吴国平" not in under
    assert "吴国平" in over
    assert "郑明远" not in over
    uncovered = body.split('id="uncovered-list"')[1].split("</table>")[0]
    assert "西山纺织有限公司" in uncovered
    assert w.free_key.uscc in uncovered
    assert "东湖精密机械有限公司" not in uncovered
    assert "东湖合作社" not in uncovered
