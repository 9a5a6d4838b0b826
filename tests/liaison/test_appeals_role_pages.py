# ruff: noqa: F811  (`aworld` is a pytest fixture imported from fixtures_appeals; tests name it as a parameter)
"""Each role's use of the appeals pages: the enterprise attaches files when it files an appeal; a cadre
files one from its visit; a form is shown only to whom may use it; the assignee list follows the chosen
department; a leader the appeal was escalated to comments, instructs and presses the department."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liaison.models import Appeal, AppealAttachment, AppealEvent, Visit
from liaison.services import appeals as services
from liaison.services.appeals import appeal_escalate_overdue
from portal.models import AuditLog
from tests.documents import pdf_bytes, png_bytes

from .fixtures_appeals import (  # noqa: F401  (aworld is a fixture)
    DESCRIPTION_A,
    TITLE_A,
    aworld,
    create,
    denied,
    pdf,
    refused,
    step,
    today,
)

pytestmark = pytest.mark.django_db


def _post_appeal(client, user, files, **extra):
    client.force_login(user)
    data = {"category": "financing", "platform": "appeal", "title": TITLE_A, "description": DESCRIPTION_A,
            "files": files, **extra}
    return client.post(reverse("liaison:appeal_create"), data)


# --- the enterprise's files -----------------------------------------------------------------------

def test_the_enterprise_files_an_appeal_with_its_files(client, aworld):
    # given the enterprise's user with two files
    w = aworld
    before = set(Appeal.objects.values_list("pk", flat=True))
    files = [pdf("营业执照.pdf"), SimpleUploadedFile("厂房照片.png", png_bytes(), content_type="image/png")]
    # when it files its appeal with them
    response = _post_appeal(client, w.enterprise_user, files)
    # then the appeal holds both, each in the history and the audit log
    appeal = Appeal.objects.exclude(pk__in=before).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("liaison:appeal_detail", args=[appeal.pk])
    assert sorted(appeal.attachments.values_list("name", "size")) == [("厂房照片.png", len(png_bytes())),
                                                                      ("营业执照.pdf", len(pdf_bytes()))]
    assert list(appeal.events.order_by("pk").values_list("action", "note")) == [
        ("submit", ""), ("attach", "营业执照.pdf"), ("attach", "厂房照片.png")]
    assert AuditLog.objects.filter(action="appeal.attach", object_id=str(appeal.pk)).count() == 2
    page = client.get(reverse("liaison:appeal_create")).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'name="files"' in page


def test_one_bad_file_refuses_the_whole_appeal_at_the_files_field(client, aworld):
    w = aworld
    appeals, files = Appeal.objects.count(), AppealAttachment.objects.count()
    fake = SimpleUploadedFile("说明.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = _post_appeal(client, w.enterprise_user, [pdf(), fake])
    assert response.status_code == 400
    assert (Appeal.objects.count(), AppealAttachment.objects.count()) == (appeals, files)
    form = response.context["form"]
    assert form.errors["files"] == ["说明.pdf：文件内容与扩展名 .pdf 不符。"]
    assert form["title"].value() == TITLE_A  # what was typed is kept


def test_the_service_refuses_bad_files_before_writing_anything(aworld):
    w = aworld
    exe = SimpleUploadedFile("setup.exe", b"MZ\x90\x00")
    error = refused(lambda: create(w.enterprise_user, w.ent_a, uploads=[exe]))
    assert error.errors == {"files": ["setup.exe：附件只接受 pdf、jpg、jpeg、png、doc、docx、xls、xlsx 格式。"]}


# --- a cadre's appeal from its visit ---------------------------------------------------------------

def test_a_cadre_files_an_appeal_from_its_visit(client, aworld):
    # given 吴国平's visit to 东湖精密 today
    w = aworld
    visit = Visit.objects.create(cadre=w.cadre_a_obj, enterprise=w.ent_a, visited_on=today(),
                                 discussed="企业反映流动资金紧张", created_by=w.cadre)
    client.force_login(w.cadre)
    # when it opens the visit, then it is offered to file an appeal from it
    page = client.get(reverse("liaison:visit_detail", args=[visit.pk])).content.decode()
    link = f'{reverse("liaison:appeal_create")}?visit={visit.pk}'
    assert f'href="{link}" id="raise-appeal"' in page
    # and the form comes with the visit and its enterprise filled in
    form = client.get(link).context["form"]
    assert (form.initial["visit"], form.initial["enterprise"]) == (visit.pk, w.ent_a.pk)
    # when it files the appeal, then it is the visit's, through the visit channel
    response = client.post(reverse("liaison:appeal_create"), {
        "enterprise": w.ent_a.pk, "visit": visit.pk, "category": "financing", "platform": "appeal",
        "title": TITLE_A, "description": DESCRIPTION_A})
    appeal = Appeal.objects.get(visit=visit)
    assert response.status_code == 302
    assert (appeal.channel, appeal.enterprise, appeal.created_by) == ("visit", w.ent_a, w.cadre)
    page = client.get(reverse("liaison:visit_detail", args=[visit.pk])).content.decode()
    assert appeal.number in page


def test_only_the_visiting_cadre_is_offered_an_appeal_from_the_visit(client, aworld):
    w = aworld
    visit = Visit.objects.create(cadre=w.cadre_a_obj, enterprise=w.ent_a, visited_on=today(),
                                 discussed="企业反映流动资金紧张", created_by=w.org_staff)
    client.force_login(w.org_staff)
    assert 'id="raise-appeal"' not in client.get(reverse("liaison:visit_detail", args=[visit.pk])).content.decode()
    client.force_login(w.cadre_b)
    assert client.get(reverse("liaison:visit_detail", args=[visit.pk])).status_code == 404
    # another cadre's visit named in the address is not filled in
    form = client.get(f'{reverse("liaison:appeal_create")}?visit={visit.pk}').context["form"]
    assert "visit" not in form.initial


# --- forms shown only to whom may use them --------------------------------------------------------

def test_a_cadre_sees_the_upload_form_only_on_appeals_it_raised_or_handles(client, aworld):
    # given the enterprise's own appeal and one 吴国平 raised on a visit, both of its paired enterprise
    w = aworld
    own = create(w.cadre, w.ent_a, channel="visit")
    client.force_login(w.cadre)
    enterprise_page = client.get(reverse("liaison:appeal_detail", args=[w.appeal_a.pk])).content.decode()
    own_page = client.get(reverse("liaison:appeal_detail", args=[own.pk])).content.decode()
    # then it may add files to its own only, and is shown the form there only
    assert 'id="attach-form"' not in enterprise_page
    assert 'id="attach-form"' in own_page
    refused_post = client.post(reverse("liaison:appeal_attach", args=[w.appeal_a.pk]), {"file": pdf()})
    assert refused_post.status_code == 403
    denied(lambda: services.appeal_attach(appeal=w.appeal_a, upload=pdf(), acting_user=w.cadre))
    assert services.appeal_attach(appeal=own, upload=pdf(), acting_user=w.cadre).appeal_id == own.pk


# --- the assignee follows the department ----------------------------------------------------------

def test_the_assignee_list_follows_the_chosen_department(client, aworld):
    # given the finance bureau handled by four accounts and the labour bureau by none
    w = aworld
    client.force_login(w.org_staff)
    page = client.get(reverse("liaison:appeal_detail", args=[w.appeal_a.pk])).content.decode()
    # then each assignee option names its departments, the list follows the department select
    assert f'<option value="{w.town_staff.pk}" data-departments="{w.dept.pk}">' in page
    assert f'data-departments="{w.dept2.pk}"' not in page
    assert 'data-follows="department"' in page
    assert "portal/assignee_by_department.js" in page
    # and the service refuses an assignee of another department, at the field
    error = refused(lambda: step(w.appeal_a, "assign", w.org_staff, department=w.dept2, assignee=w.town_staff))
    assert error.errors == {"assignee": ["t_townstaff不是“星湖市人力资源和社会保障局”的承办人员，请选择该部门的承办人。"]}
    assigned = step(w.appeal_a, "assign", w.org_staff, department=w.dept, assignee=w.town_staff)
    assert (assigned.department, assigned.assignee) == (w.dept, w.town_staff)


def test_an_assignee_refused_by_the_service_is_shown_at_its_field(client, aworld):
    w = aworld
    client.force_login(w.org_staff)
    w.appeal_a.refresh_from_db()
    response = client.post(reverse("liaison:appeal_action", args=[w.appeal_a.pk, "assign"]), {
        "version": w.appeal_a.version, "department": w.dept2.pk, "assignee": w.town_staff.pk})
    assert response.status_code == 400
    assert response.context["assign_form"].errors["assignee"] == [
        "t_townstaff不是“星湖市人力资源和社会保障局”的承办人员，请选择该部门的承办人。"]


# --- a leader the appeal was escalated to ---------------------------------------------------------

def test_an_escalated_cadre_comments_instructs_and_presses_the_department(client, aworld):
    # given the overdue appeal of 东湖精密 escalated to its paired cadre 吴国平
    w = aworld
    appeal_escalate_overdue(today=today())
    client.force_login(w.cadre)
    url = reverse("liaison:appeal_lead", args=[w.overdue_a.pk])
    page = client.get(reverse("liaison:appeal_detail", args=[w.overdue_a.pk])).content.decode()
    assert 'id="lead-form"' in page
    # when it comments, gives an instruction and presses the department
    for action, note, said in (("comment", "请市人社局与企业当面沟通", "已提出意见。"),
                               ("instruct", "本周内办结并报结果", "已作出批示。"), ("press", "", "已催办承办部门。")):
        response = client.post(url, {"action": action, "note": note}, follow=True)
        assert response.redirect_chain == [(reverse("liaison:appeal_detail", args=[w.overdue_a.pk]), 302)]
        assert said in response.content.decode()
    # then each is a history row and an audit row; the status stays
    events = list(AppealEvent.objects.filter(appeal=w.overdue_a, action__in=("comment", "instruct", "press"))
                  .order_by("pk").values_list("action", "note", "actor", "from_status", "to_status"))
    assert events == [
        ("comment", "请市人社局与企业当面沟通", w.cadre.pk, "assigned", "assigned"),
        ("instruct", "本周内办结并报结果", w.cadre.pk, "assigned", "assigned"),
        ("press", "请星湖市人力资源和社会保障局加快办理，按期办结", w.cadre.pk, "assigned", "assigned"),
    ]
    assert list(AuditLog.objects.filter(object_id=str(w.overdue_a.pk), action__in=(
        "appeal.comment", "appeal.instruct", "appeal.press")).order_by("pk").values_list("action", "actor")) == [
        ("appeal.comment", w.cadre.pk), ("appeal.instruct", w.cadre.pk), ("appeal.press", w.cadre.pk)]
    w.overdue_a.refresh_from_db()
    assert w.overdue_a.status == "assigned"


def test_an_instruction_needs_its_words_at_the_field(client, aworld):
    w = aworld
    appeal_escalate_overdue(today=today())
    client.force_login(w.cadre)
    response = client.post(reverse("liaison:appeal_lead", args=[w.overdue_a.pk]), {"action": "instruct", "note": "好"})
    assert response.status_code == 400
    assert response.context["lead_form"].errors["note"] == ["请写明领导批示（不少于 5 个字）。"]
    assert not AppealEvent.objects.filter(action="instruct").exists()
    # opened with GET, the address leads back to the appeal
    assert client.get(reverse("liaison:appeal_lead", args=[w.overdue_a.pk]))["Location"] == reverse(
        "liaison:appeal_detail", args=[w.overdue_a.pk])


@pytest.mark.parametrize("who", ["cadre_b", "leader", "org_staff", "town_staff", "enterprise_user", "station"])
def test_no_one_the_appeal_was_not_escalated_to_leads_it(aworld, who):
    w = aworld
    appeal_escalate_overdue(today=today())
    for service in (services.appeal_comment, services.appeal_instruct, services.appeal_press):
        denied(lambda s=service: s(appeal=w.overdue_a, note="请尽快办理此事", acting_user=getattr(w, who)))


def test_a_paired_cadre_does_not_lead_an_appeal_not_escalated_to_it(client, aworld):
    w = aworld
    client.force_login(w.cadre)
    page = client.get(reverse("liaison:appeal_detail", args=[w.appeal_a.pk])).content.decode()
    assert 'id="lead-form"' not in page
    response = client.post(reverse("liaison:appeal_lead", args=[w.appeal_a.pk]), {"action": "press", "note": ""})
    assert response.status_code == 403


def test_a_closed_appeal_is_led_no_more(aworld):
    w = aworld
    appeal_escalate_overdue(today=today())
    step(w.overdue_a, "start", w.org_staff)
    step(w.overdue_a, "resolve", w.org_staff, resolution="已协调审批部门加快办理并出具批复。")
    denied(lambda: services.appeal_press(appeal=w.overdue_a, acting_user=w.cadre))


def test_the_organization_department_names_who_handles_a_department(client, aworld):
    # given the labour bureau with no one to handle its appeals
    w = aworld
    url = reverse("liaison:department_members", args=[w.dept2.pk])
    client.force_login(w.org_staff)
    # when the organization department names the town staffer and a cadre
    response = client.post(url, {"members": [w.town_staff.pk, w.cadre.pk]})
    # then they are its members, audited, listed, and may now be its appeals' assignees
    assert response.status_code == 302
    assert set(w.dept2.members.values_list("pk", flat=True)) == {w.town_staff.pk, w.cadre.pk}
    entry = AuditLog.objects.get(action="appeal_department.members", object_id=str(w.dept2.pk))
    assert (entry.before, entry.after) == ({"members": []}, {"members": sorted([w.town_staff.pk, w.cadre.pk])})
    listing = client.get(reverse("liaison:department_list")).content.decode()
    assert url in listing
    assigned = step(w.appeal_a, "assign", w.org_staff, department=w.dept2, assignee=w.town_staff)
    assert assigned.assignee == w.town_staff
    # a bank officer cannot be one, at the field
    refused_post = client.post(url, {"members": [w.bank_officer.pk]})
    assert refused_post.status_code == 400
    assert list(refused_post.context["form"].errors) == ["members"]
    # and only the organization department names them
    for who in ("town_staff", "cadre", "leader"):
        client.force_login(getattr(w, who))
        assert client.post(url, {"members": [w.cadre.pk]}).status_code == 403
    denied(lambda: services.department_set_members(acting_user=w.town_staff, department=w.dept2, members=[]))
