"""The rating pages: who reaches each one (the shared access helper) and what each does with good
and bad input."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ratings import services
from ratings.choices import ObjectionStatus, RatingStatus
from ratings.models import ItemScore, Objection, Rating
from tests.access import REFERENCE_DATA, AccessCase, case_id, everyone, run_access_case, url_of, users
from tests.documents import pdf_bytes

from .conftest import today

pytestmark = pytest.mark.django_db
S = RatingStatus


_url, _users = url_of, users


OUTSIDERS = ("bank_officer", "insurer_officer", "cadre", "admin")
STAFF_ONLY_WRONG = ("town_staff", "leader", "enterprise_user", "station", "bank_officer")
OWN_ENTERPRISE = "the enterprise user's own rating: the page names no other"


def _evidence(w):
    return {"file": SimpleUploadedFile("新台账.pdf", pdf_bytes(), content_type="application/pdf")}


ACCESS_CASES = [
    # An enterprise user is led to its own rating (ratings:mine).
    AccessCase("ratings:home", _url("ratings:home"),
               right=_users("org_staff", "town_staff", "leader", "station", "enterprise_user"), ok=(200, 302),
               wrong=_users(*OUTSIDERS),
               why_no_other_scope="the cycle's dashboard: counts within the user's own scope, no record named"),
    AccessCase("ratings:list", _url("ratings:list"), right=_users("org_staff", "town_staff", "leader", "station"),
               wrong=_users(*OUTSIDERS),
               other_scope=_users("town_staff_b", "station_b_user", "park_station_user", "enterprise_b_user"),
               other_status=(200,), marker=lambda w: w.org_t.name),
    # The queue of what waits for the town's review: others reach the page and find nothing of town A's.
    AccessCase("ratings:queue", _url("ratings:queue", status="town"), right=_users("town_staff"),
               wrong=_users(*OUTSIDERS),
               other_scope=_users("town_staff_b", "org_staff", "leader", "station", "enterprise_user"),
               other_status=(200,), marker=lambda w: w.org_t.name),
    AccessCase("ratings:publish_due", _url("ratings:publish_due"), right=_users("org_staff"),
               wrong=_users(*STAFF_ONLY_WRONG)),
    AccessCase("ratings:publish_due", _url("ratings:publish_due"), method="post", ok=(302,),
               data=lambda w: {"rating": [w.rating_n.pk]}, right=_users("org_staff"), wrong=_users(*STAFF_ONLY_WRONG)),
    AccessCase("ratings:detail", _url("ratings:detail", "rating_a.pk"),
               right=_users("org_staff", "town_staff", "leader", "enterprise_user", "station"),
               wrong=_users(*OUTSIDERS), other_scope=_users("town_staff_b", "enterprise_b_user", "station_b_user"),
               marker=lambda w: w.org_a.name),
    AccessCase("ratings:score", _url("ratings:score", "rating_b.pk"), right=_users("enterprise_b_user"),
               wrong=_users("town_staff_b", "org_staff", "leader", *OUTSIDERS), other_scope=_users("enterprise_user"),
               marker=lambda w: w.org_b.name),
    AccessCase("ratings:score", _url("ratings:score", "rating_b.pk"), method="post", ok=(302,),
               data=lambda w: _sheet_post(w.rating_b, "save"), right=_users("enterprise_b_user"),
               wrong=_users("town_staff_b", "org_staff", "leader", *OUTSIDERS), other_scope=_users("enterprise_user")),
    # Opened with GET the upload address leads to the score sheet, which holds the scope.
    AccessCase("ratings:evidence_upload", _url("ratings:evidence_upload", "rating_b.pk"), ok=(302,),
               right=_users("enterprise_b_user", "org_staff", "town_staff", "enterprise_user"),
               wrong=_users("leader", "station", *OUTSIDERS),
               why_no_other_scope="a redirect to the score sheet, which holds the scope"),
    AccessCase("ratings:evidence_upload", _url("ratings:evidence_upload", "rating_b.pk"), method="post",
               data=_evidence, right=_users("enterprise_b_user"), ok=(302,),
               wrong=_users("town_staff_b", "org_staff", *OUTSIDERS), other_scope=_users("enterprise_user")),
    # Whoever sees the rating sees its evidence: the leaders read every rating.
    AccessCase("ratings:evidence_download", _url("ratings:evidence_download", "evidence_b.pk"),
               right=_users("enterprise_b_user", "org_staff", "town_staff_b", "station_b_user", "leader"),
               wrong=_users(*OUTSIDERS), other_scope=_users("enterprise_user", "town_staff", "station", "park_station_user"),
               marker=lambda w: "%PDF-"),  # the file itself
    AccessCase("ratings:action", _url("ratings:action", "rating_a.pk", action="revoke"), method="post",
               data=lambda w: {"version": w.rating_a.version, "reason": "发生重大安全生产事故"}, ok=(302,),
               right=_users("org_staff"), wrong=_users(*STAFF_ONLY_WRONG), label="POST ratings:action revoke"),
    AccessCase("ratings:objection_resolve", _url("ratings:objection_resolve", "objection.pk"), method="post",
               data=lambda w: {"decision": "dismissed", "resolution": "经核实异议不成立。"}, ok=(302,),
               right=_users("org_staff"), wrong=_users(*STAFF_ONLY_WRONG)),
    AccessCase("ratings:mine", _url("ratings:mine"), right=_users("enterprise_user", "enterprise_b_user"),
               wrong=_users("org_staff", *OUTSIDERS), why_no_other_scope=OWN_ENTERPRISE),
    # Another role that may see ratings is told there is nothing to start and led back (302), starting
    # nothing; the others get 403.
    AccessCase("ratings:mine_start", _url("ratings:mine_start"), method="post", ok=(302,),
               right=_users("enterprise_b_user"), wrong=_users("org_staff", "town_staff", "station", "leader", *OUTSIDERS),
               refused=(302, 403, 404), why_no_other_scope=OWN_ENTERPRISE),
    AccessCase("ratings:cycle_list", _url("ratings:cycle_list"), right=everyone, marker=lambda w: w.cycle.name,
               why_no_other_scope=REFERENCE_DATA),
    AccessCase("ratings:cycle_create", _url("ratings:cycle_create"), right=_users("org_staff"),
               wrong=_users(*STAFF_ONLY_WRONG)),
    AccessCase("ratings:cycle_create", _url("ratings:cycle_create"), method="post", ok=(302,),
               data=lambda w: {"year": "2027", "rubric": w.rubric.pk, "opens_on": "2027-03-01", "closes_on": "2027-10-31",
                               "notice_days": "7", "validity_months": "12", "review_days": "15"},
               right=_users("org_staff"), wrong=_users(*STAFF_ONLY_WRONG)),
    AccessCase("ratings:cycle_detail", _url("ratings:cycle_detail", "cycle.pk"), right=everyone,
               marker=lambda w: w.cycle.name, why_no_other_scope=REFERENCE_DATA),
    AccessCase("ratings:cycle_open", _url("ratings:cycle_open", "cycle.pk"), method="post", ok=(302,),
               right=_users("org_staff"), wrong=_users(*STAFF_ONLY_WRONG)),
    AccessCase("ratings:rubric_list", _url("ratings:rubric_list"), right=everyone, marker=lambda w: w.rubric.name,
               why_no_other_scope=REFERENCE_DATA),
    AccessCase("ratings:rubric_detail", _url("ratings:rubric_detail", "rubric.pk"), right=everyone,
               marker=lambda w: "书记配备", why_no_other_scope=REFERENCE_DATA),
    # Editing a draft: any other role is told it may not and led back to the rubric (302), changing nothing.
    AccessCase("ratings:rubric_detail", _url("ratings:rubric_detail", "draft.pk"), method="post", ok=(302,),
               data=lambda w: {"min_5": "90", "min_4": "80", "min_3": "70", "min_2": "60", "max_points_A.1": "40",
                               "max_points_A.2": "40", "title_A.1": "书记配备"},
               right=_users("org_staff"), wrong=_users(*STAFF_ONLY_WRONG), refused=(302, 403, 404)),
    AccessCase("ratings:rubric_action", _url("ratings:rubric_action", "draft.pk", action="publish"), method="post",
               ok=(302,), right=_users("org_staff"), wrong=_users(*STAFF_ONLY_WRONG)),
    AccessCase("ratings:organization_list", _url("ratings:organization_list"),
               right=_users("org_staff", "town_staff", "leader", "station"), wrong=_users(*OUTSIDERS),
               other_scope=_users("town_staff_b", "station_b_user", "enterprise_b_user"), other_status=(200,),
               marker=lambda w: w.org_a.name),
    AccessCase("ratings:organization_create", _url("ratings:organization_create"), right=_users("org_staff"),
               wrong=_users(*STAFF_ONLY_WRONG)),
    AccessCase("ratings:organization_create", _url("ratings:organization_create"), method="post", ok=(302,),
               data=lambda w: {"name": "东湖新材料有限公司党支部", "kind": "branch", "region": w.village_a.pk,
                               "member_count": "5"},
               right=_users("org_staff"), wrong=_users(*STAFF_ONLY_WRONG)),
    AccessCase("ratings:organization_detail", _url("ratings:organization_detail", "org_a.pk"),
               right=_users("org_staff", "town_staff", "leader", "station", "enterprise_user"),
               wrong=_users(*OUTSIDERS), other_scope=_users("town_staff_b", "enterprise_b_user", "station_b_user"),
               marker=lambda w: w.org_a.name),
    AccessCase("ratings:organization_update", _url("ratings:organization_update", "org_a.pk"),
               right=_users("org_staff"), wrong=_users(*STAFF_ONLY_WRONG)),
    AccessCase("ratings:organization_update", _url("ratings:organization_update", "org_a.pk"), method="post",
               ok=(302,), data=lambda w: {"name": w.org_a.name, "kind": w.org_a.kind, "region": w.org_a.region_id,
                                          "member_count": "9"},
               right=_users("org_staff"), wrong=_users(*STAFF_ONLY_WRONG)),
    AccessCase("ratings:coverage_start", _url("ratings:coverage_start", "org_a.pk"), method="post", ok=(302,),
               data=lambda w: {"enterprise": w.ent_park.uscc, "started_on": "2025-01-01"},
               right=_users("org_staff"), wrong=_users(*STAFF_ONLY_WRONG)),
    AccessCase("ratings:coverage_end", lambda w: reverse("ratings:coverage_end", args=[w.org_b.coverages.get().pk]),
               method="post", ok=(302,), data=lambda w: {"ended_on": "2025-12-31"},
               right=_users("org_staff"), wrong=_users(*STAFF_ONLY_WRONG)),
    # The instructor serving ent_free (town B) is listed to those who see that enterprise.
    AccessCase("ratings:coverage", _url("ratings:coverage"),
               right=_users("org_staff", "leader", "town_staff_b", "station_b_user"), wrong=_users(*OUTSIDERS),
               other_scope=_users("town_staff", "station", "park_station_user", "enterprise_user", "enterprise_b_user"),
               other_status=(200,), marker=lambda w: w.ent_free.name),
    AccessCase("ratings:instructor_assign", _url("ratings:instructor_assign"), method="post", ok=(302,),
               data=lambda w: {"enterprise": w.ent_park.uscc, "instructor": w.person_a.pk, "started_on": "2025-01-01"},
               right=_users("org_staff"), wrong=_users(*STAFF_ONLY_WRONG)),
    AccessCase("ratings:instructor_end", _url("ratings:instructor_end", "instructor.pk"), method="post", ok=(302,),
               data=lambda w: {"ended_on": "2025-12-31"}, right=_users("org_staff"), wrong=_users(*STAFF_ONLY_WRONG)),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, rworld):
    run_access_case(case, rworld)


# --- the public notice: no login ---------------------------------------------------------------------

def test_the_public_notice_lists_only_ratings_under_notice_today(client, rworld, cycle):
    w = rworld
    current = services.rating_start(acting_user=w.ent_t_user, cycle=cycle, organization=w.org_t)  # at the town
    w.rating_t = current
    from .conftest import advance
    notice = advance(w, w.rating_t, S.NOTICE, self_user=w.ent_t_user, today_=today() + datetime.timedelta(days=10))
    response = client.get(reverse("public:notice"))
    body = response.content.decode()
    assert response.status_code == 200
    assert notice.organization.name in body
    assert "东湖电子有限公司" in body
    assert w.org_n.name not in body  # its notice ended
    assert w.org_a.name not in body
    assert w.org_b.name not in body
    assert "13800001111" not in body  # no objector's data on a public page


def test_lodging_an_objection_publicly(client, rworld):
    w = rworld
    rating = advance_to_notice_today(w)
    url = reverse("public:notice_detail", args=[rating.pk])
    response = client.post(url, {"name": "", "contact": "abc", "reason": "短"})
    assert response.status_code == 400
    body = response.content.decode()
    for field in ("name", "contact", "reason"):
        assert f'data-field="{field}"' in body
    assert not rating.objections.exists()
    response = client.post(url, {"name": "李四", "contact": "0817-2345678", "reason": "该企业去年发生过安全事故，请核实。"},
                           REMOTE_ADDR="10.2.3.4")
    assert response.status_code == 302
    assert response["Location"].endswith("?lodged=1")
    objection = rating.objections.get()
    assert (objection.name, objection.ip, objection.status) == ("李四", "10.2.3.4", ObjectionStatus.OPEN)
    response = client.post(url, {"name": "机器人", "contact": "13800000000", "reason": "这是一段自动填写的异议理由文字",
                                 "website": "http://spam.example"})
    assert response.status_code == 302
    assert rating.objections.count() == 1


def test_the_public_page_does_not_show_ratings_outside_notice(client, rworld):
    for rating in (rworld.rating_a, rworld.rating_b, rworld.rating_n):
        assert client.get(reverse("public:notice_detail", args=[rating.pk])).status_code == 404
        assert client.post(reverse("public:notice_detail", args=[rating.pk]),
                           {"name": "张三", "contact": "13800001111", "reason": "理由足够长的一段异议文字"}).status_code == 404


def advance_to_notice_today(w):
    from .conftest import advance

    return advance(w, w.rating_t, S.NOTICE, self_user=w.ent_t_user, today_=today() + datetime.timedelta(days=10))


# --- the score sheet ---------------------------------------------------------------------------------

def _sheet_post(rating, action, **points):
    data = {"version": rating.version, "action": action, "comment": points.pop("comment", ""),
            "points_A.1": "45", "points_A.2": "28", "points_B.1": "18",
            "note_A.1": "台账不全", "note_A.2": "换届推迟", "note_B.1": "公益活动少"}
    data.update({f"points_{k.replace('_', '.')}": v for k, v in points.items()})
    return data


def test_the_self_assessment_form_refuses_bad_scores_at_their_field(client, rworld):
    w = rworld
    client.force_login(w.enterprise_b_user)
    url = reverse("ratings:score", args=[w.rating_b.pk])
    page = client.get(url).content.decode()
    assert "书记配备" in page
    assert 'name="points_A.1"' in page
    assert 'name="veto_V1"' in page
    response = client.post(url, _sheet_post(w.rating_b, "submit", A_1="55", B_1="x"))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-field="points_A.1">得分 55 超过该项满分 50 分。' in body
    assert 'data-field="points_B.1">得分“x”不是数字。' in body
    assert 'value="55"' in body  # what was typed stays in the form
    assert not ItemScore.objects.filter(rating=w.rating_b).exists()
    assert Rating.objects.get(pk=w.rating_b.pk).status == S.SELF


def test_submitting_the_self_assessment_sends_it_to_the_town(client, rworld):
    w = rworld
    client.force_login(w.enterprise_b_user)
    response = client.post(reverse("ratings:score", args=[w.rating_b.pk]), _sheet_post(w.rating_b, "submit"))
    assert response.status_code == 302
    rating = Rating.objects.get(pk=w.rating_b.pk)
    assert (rating.status, rating.stars, str(rating.score)) == (S.TOWN, 5, "91.0")
    # and it is now in town B's queue, not town A's
    client.force_login(w.town_staff_b)
    assert w.org_b.name in client.get(reverse("ratings:queue", args=["town"])).content.decode()
    client.force_login(w.town_staff)
    assert w.org_b.name not in client.get(reverse("ratings:queue", args=["town"])).content.decode()


def test_a_stale_form_is_refused_with_a_message(client, rworld):
    w = rworld
    client.force_login(w.town_staff)
    url = reverse("ratings:score", args=[w.rating_t.pk])
    stale = _sheet_post(w.rating_t, "approve")
    services.rating_transition(acting_user=w.town_staff, rating=w.rating_t, action="save",
                               expected_version=w.rating_t.version, scores=None)
    response = client.post(url, stale)
    assert response.status_code == 400
    assert "该评定已被他人修改" in response.content.decode()
    assert Rating.objects.get(pk=w.rating_t.pk).status == S.TOWN


def test_town_review_prefills_the_self_scores_and_needs_a_reason_to_return(client, rworld):
    w = rworld
    client.force_login(w.town_staff)
    url = reverse("ratings:score", args=[w.rating_t.pk])
    page = client.get(url).content.decode()
    assert 'name="points_A.1" value="45.0"' in page
    response = client.post(url, {"version": w.rating_t.version, "action": "return", "comment": ""})
    assert response.status_code == 400
    assert 'data-field="comment">请填写理由（不少于 5 个字）。' in response.content.decode()
    response = client.post(url, {"version": w.rating_t.version, "action": "return", "comment": "请补充三会一课台账"})
    assert response.status_code == 302
    assert Rating.objects.get(pk=w.rating_t.pk).status == S.SELF


def test_an_unknown_button_is_refused(client, rworld):
    client.force_login(rworld.town_staff)
    response = client.post(reverse("ratings:score", args=[rworld.rating_t.pk]),
                           _sheet_post(rworld.rating_t, "publish"))
    assert response.status_code == 400
    assert "请选择要执行的操作。" in response.content.decode()


def test_evidence_of_the_wrong_type_is_refused_at_the_field(client, rworld):
    client.force_login(rworld.enterprise_b_user)
    fake = SimpleUploadedFile("台账.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(reverse("ratings:evidence_upload", args=[rworld.rating_b.pk]), {"file": fake})
    assert response.status_code == 400
    assert 'data-field="file">文件内容与扩展名 .pdf 不符。' in response.content.decode()
    assert rworld.rating_b.evidence.count() == 1


# --- staff actions ------------------------------------------------------------------------------------

def test_revoking_without_a_reason_answers_at_the_field(client, rworld):
    client.force_login(rworld.org_staff)
    url = reverse("ratings:action", args=[rworld.rating_a.pk, "revoke"])
    response = client.post(url, {"version": rworld.rating_a.version, "reason": "短"})
    assert response.status_code == 400
    assert 'data-field="reason">请填写理由（不少于 5 个字）。' in response.content.decode()
    assert Rating.objects.get(pk=rworld.rating_a.pk).status == S.PUBLISHED


def test_downgrading_above_the_current_stars_answers_at_the_field(client, rworld):
    client.force_login(rworld.org_staff)
    url = reverse("ratings:action", args=[rworld.rating_a.pk, "downgrade"])
    response = client.post(url, {"version": rworld.rating_a.version, "stars": "6", "reason": "发生劳资纠纷降级"})
    assert response.status_code == 400
    assert 'data-field="stars">星级须为 1 至 5 的整数。' in response.content.decode()
    response = client.post(url, {"version": rworld.rating_a.version, "stars": "3", "reason": "发生劳资纠纷降级"})
    assert response.status_code == 302
    assert Rating.objects.get(pk=rworld.rating_a.pk).stars == 3


def test_batch_publication_from_the_page(client, rworld):
    w = rworld
    client.force_login(w.org_staff)
    assert w.org_n.name not in client.get(reverse("ratings:publish_due")).content.decode()  # held by its objection
    client.post(reverse("ratings:objection_resolve", args=[w.objection.pk]),
                {"decision": "dismissed", "resolution": "经核实异议不成立。"})
    assert w.org_n.name in client.get(reverse("ratings:publish_due")).content.decode()
    response = client.post(reverse("ratings:publish_due"), {"rating": [w.rating_n.pk, w.rating_b.pk]}, follow=True)
    body = response.content.decode()
    assert "已命名 1 条评定。" in body
    assert "未命名：只有公示中的评定可以命名（当前：自评中）。" in body
    assert Rating.objects.get(pk=w.rating_n.pk).status == S.PUBLISHED


def test_an_upheld_objection_from_the_page_returns_the_rating(client, rworld):
    client.force_login(rworld.org_staff)
    client.post(reverse("ratings:objection_resolve", args=[rworld.objection.pk]),
                {"decision": "upheld", "resolution": "经核实情况属实，退回复核。"})
    assert Rating.objects.get(pk=rworld.rating_n.pk).status == S.DEPT
    assert Objection.objects.get(pk=rworld.objection.pk).status == ObjectionStatus.UPHELD


def test_the_rating_page_shows_breakdown_history_and_objections_to_staff_only(client, rworld):
    w = rworld
    client.force_login(w.org_staff)
    body = client.get(reverse("ratings:detail", args=[w.rating_n.pk])).content.decode()
    assert 'data-stage="town" data-item="A.1"' in body
    assert "张三" in body
    assert "138****1111" in body  # the objector's contact, masked (tests/ratings/test_objection_contact.py)
    assert "13800001111" not in body
    client.force_login(w.ent_n_user)
    body = client.get(reverse("ratings:detail", args=[w.rating_n.pk])).content.decode()
    assert "书记配备" in body
    assert "13800001111" not in body
    assert "张三" not in body
