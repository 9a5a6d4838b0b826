"""The documents' pages: asking, watching, downloading (own files only, audited), and the public
verification page for a genuine, a forged and a revoked certificate."""

import pytest
from django.urls import reverse

from portal.models import AuditLog
from ratings import services as rating_services
from reports import services
from reports.choices import ReportKind, ReportState
from reports.models import Report
from tests.access import AccessCase, case_id, run_access_case, url_of, users

pytestmark = pytest.mark.django_db


@pytest.fixture
def rworld(dworld, monkeypatch):
    """dworld with a credit certificate of ent_a asked for by its enterprise user and made — with a
    stand-in PDF: these tests are about the pages, test_services.py reads real ones."""
    monkeypatch.setattr("reports.documents.certificates.render_pdf", lambda template, context: b"%PDF-1.7 stand-in")
    w = dworld
    w.report = services.report_request(kind=ReportKind.CREDIT_CERTIFICATE, params={"enterprise": w.ent_a.pk},
                                       acting_user=w.enterprise_user)
    services.report_generate(report_id=w.report.pk)
    w.report.refresh_from_db()
    return w


NOT_THE_REQUESTER = ("station", "town_staff", "leader", "bank_officer", "insurer_officer", "cadre", "admin")

ACCESS_CASES = [
    AccessCase("reports:list", url_of("reports:list"), right=users("enterprise_user", "org_staff"),
               other_scope=users("enterprise_b_user", "station", "bank_officer", "town_staff", "insurer_officer", "cadre",
                                 "leader", "admin"),
               other_status=(200,), marker=lambda w: "党建增信证明 · 东湖精密机械有限公司"),
    # A file is its requester's (and the organization department's): anyone else gets 404, whatever the role.
    AccessCase("reports:detail", url_of("reports:detail", "report.pk"), right=users("enterprise_user", "org_staff"),
               wrong=users(*NOT_THE_REQUESTER), other_scope=users("enterprise_b_user"),
               marker=lambda w: w.report.checksum),
    AccessCase("reports:status", url_of("reports:status", "report.pk"), right=users("enterprise_user", "org_staff"),
               wrong=users(*NOT_THE_REQUESTER), other_scope=users("enterprise_b_user")),
    AccessCase("reports:download", url_of("reports:download", "report.pk"),
               right=users("enterprise_user", "org_staff"), wrong=users(*NOT_THE_REQUESTER),
               other_scope=users("enterprise_b_user")),
    AccessCase("reports:request", url_of("reports:request"), method="post",
               data=lambda w: {"kind": ReportKind.CREDIT_CERTIFICATE, "enterprise": w.ent_a.pk},
               right=users("enterprise_user", "station", "town_staff", "org_staff"), ok=(302,),
               wrong=users("bank_officer", "leader", "cadre", "admin"),
               other_scope=users("enterprise_b_user", "station_b_user", "town_staff_b"),
               label="POST reports:request (credit certificate)"),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, rworld):
    run_access_case(case, rworld)


def test_asking_on_the_page_queues_one_report_and_shows_its_progress(dworld, client, django_capture_on_commit_callbacks):
    client.force_login(dworld.station)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("reports:request"), {"kind": ReportKind.CREDIT_CERTIFICATE,
                                                            "enterprise": dworld.ent_a.pk})
    # the task was enqueued after commit (and ran: the test settings run tasks eagerly)
    assert len(callbacks) == 1
    report = Report.objects.get()
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert report.state == ReportState.DONE
    page = client.get(response["Location"]).content.decode()
    assert 'id="verification-code"' in page
    assert reverse("reports:download", args=[report.pk]) in page
    status = client.get(reverse("reports:status", args=[report.pk])).json()
    assert (status["state"], status["progress"], status["finished"]) == ("done", 100, True)


def test_a_refused_request_says_why(dworld, client):
    client.force_login(dworld.org_staff)
    from tests.factories import EnterpriseFactory

    unrated = EnterpriseFactory(name="东湖未评企业有限公司", region=dworld.village_a)
    response = client.post(reverse("reports:request"), {"kind": ReportKind.CREDIT_CERTIFICATE,
                                                        "enterprise": unrated.pk}, follow=True)
    assert "没有有效星级" in response.content.decode()
    assert Report.objects.count() == 0


def test_the_download_is_the_file_and_is_audited(rworld, client):
    client.force_login(rworld.enterprise_user)
    response = client.get(reverse("reports:download", args=[rworld.report.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]
    assert AuditLog.objects.filter(action="report.download", object_id=str(rworld.report.pk),
                                   actor=rworld.enterprise_user).count() == 1


def test_a_report_not_done_has_no_download(dworld, client):
    report = services.report_request(kind=ReportKind.RATING_CERTIFICATE, params={"rating": dworld.rated_a.pk},
                                     acting_user=dworld.org_staff)
    client.force_login(dworld.org_staff)
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404


# --- the public verification page -------------------------------------------------------------------


def test_a_genuine_certificate_is_confirmed_without_login(rworld, client):
    code = rworld.report.certificate.code
    response = client.get(reverse("verify", args=[code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-result="valid"' in page
    assert "证书真实有效" in page
    assert "东湖精密机械有限公司" in page
    assert rworld.report.checksum in page
    # typed by hand, with dashes and lower case, through the form
    typed = f"{code[:4]}-{code[4:8]}-{code[8:]}".lower()
    assert 'data-result="valid"' in client.get(reverse("verify_form"), {"code": typed}).content.decode()


@pytest.mark.parametrize("code", ["ABCD-EFGH-JKMN", "not-a-code", "0000-0000-0000"])
def test_a_forged_code_is_not_found(rworld, client, code):
    response = client.get(reverse("verify_form"), {"code": code})
    assert response.status_code == 404
    page = response.content.decode()
    assert 'data-result="unknown"' in page
    assert "可能系伪造" in page
    assert "东湖精密机械有限公司" not in page


def test_a_revoked_rating_shows_on_its_genuine_certificate(rworld, client):
    rating = rworld.rated_a
    rating_services.rating_revoke(acting_user=rworld.org_staff, rating=rating, reason="发生重大安全生产事故",
                                  expected_version=rating.version)
    page = client.get(reverse("verify", args=[rworld.report.certificate.code])).content.decode()
    assert 'data-result="revoked"' in page
    assert "证书真实有效" in page  # the paper is ours …
    assert "已于" in page
    assert "被撤销" in page


def test_the_verification_form_alone_asks_for_a_code(client, db):
    page = client.get(reverse("verify_form")).content.decode()
    assert 'name="code"' in page
    assert "verify-result" not in page


def test_the_enterprise_tab_offers_both_certificates_and_lists_those_issued(rworld, client):
    client.force_login(rworld.enterprise_user)
    page = client.get(reverse("enterprise_tab", args=[rworld.ent_a.pk, "certificates"])).content.decode()
    assert 'id="credit-certificate-form"' in page
    assert 'id="rating-certificate-form"' in page
    assert rworld.report.certificate.code in page


def test_the_enterprise_tab_is_not_offered_to_those_who_cannot_ask(rworld, client):
    client.force_login(rworld.leader)
    page = client.get(reverse("enterprise_detail", args=[rworld.ent_a.pk])).content.decode()
    assert reverse("enterprise_tab", args=[rworld.ent_a.pk, "certificates"]) not in page
