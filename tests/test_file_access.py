# ruff: noqa: F811  (fixtures imported from the apps' conftest modules are named as test parameters)
"""Every stored file is read only through a view that checks the reader's scope.

- Each FileField of the project is listed in FILE_KINDS with the view that serves it (or why none does);
  a new one fails until it is.
- For each kind that is served (rating evidence, an appeal's attachment, a generated certificate PDF)
  and for the import's own download (its errors): anonymous is sent to sign in, wrong roles and other
  scopes get 403/404, the right roles get exactly the stored bytes.
- No address serves the media folder: not /media/<the file's own name> under the test settings, and
  no URL pattern for it even with DEBUG on. Only the three views above hand out a stored file.
- The public verification page of a certificate shows the certificate's facts and no personal data.
"""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import URLResolver, reverse
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern

from portal.rules import mask_id_number, mask_mobile
from reports import services as report_services
from reports.choices import ReportKind
from tests.finance.conftest import product, product2, quota_table, rated_a, rated_b  # noqa: F401
from tests.liaison.conftest import lworld  # noqa: F401
from tests.liaison.fixtures_appeals import aworld  # noqa: F401
from tests.portal.import_fixtures import BAD_CODE, upload, xlsx
from tests.ratings.conftest import cycle, org_a, org_b, rubric, rworld  # noqa: F401
from tests.reports.conftest import dworld  # noqa: F401

# Each FileField (app_label.Model.field) -> the URL name of the view that serves its file, or None with why.
FILE_KINDS = {
    "ratings.Evidence.file": ("ratings:evidence_download", "a rating's evidence, to whoever sees the rating"),
    "liaison.AppealAttachment.file": ("liaison:appeal_attachment", "an appeal's file, to whoever sees the appeal"),
    "reports.Report.file": ("reports:download", "a generated document, to its requester and the department"),
    "reports.Certificate.file": (None, "a batch's certificate PDF, read by the batch alone to write its ZIP "
                                       "(reports.batches); served only inside that ZIP, by reports:download"),
    "portal.ImportBatch.file": (None, "read by the import alone; its download is the errors CSV (import_errors)"),
    "portal.AuditArchive.file": (None, "read by manage.py audit_verify alone (the admin's link to it, under "
                                       "MEDIA_URL, answers 404)"),
}
# The only modules that hand a stored file to a browser (FileResponse over the storage's file).
SERVING_MODULES = {"ratings/views/workflow.py", "liaison/views/appeals.py", "reports/views.py"}
PROJECT_APPS = ("portal", "ratings", "finance", "insurance", "talent", "liaison", "reports", "twofactor", "logins",
                "apikeys")
ROOT = Path(settings.BASE_DIR)


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _stored(field_file) -> bytes:
    with field_file.open("rb") as stored:
        return stored.read()


def check_file(url, stored: bytes, *, right, wrong, other_scope, media_name):
    """Anonymous to the login page; wrong roles 403/404; other scopes 404; right roles the very bytes; and
    the file's own name under MEDIA_URL answers 404 to everyone."""
    anonymous = _client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse(settings.LOGIN_URL))
    for user in wrong:
        response = _client(user).get(url)
        assert response.status_code in (403, 404), (user, response.status_code)
        assert stored not in _bytes(response)
    for user in other_scope:
        response = _client(user).get(url)
        assert response.status_code == 404, (user, response.status_code)
        assert stored not in _bytes(response)
    for user in right:
        response = _client(user).get(url)
        assert response.status_code == 200, (user, response.status_code)
        assert response["Content-Disposition"].startswith("attachment")
        assert _bytes(response) == stored, user
    for user in (None, *right):
        response = _client(user).get(settings.MEDIA_URL + media_name)
        assert response.status_code == 404, (user, media_name, response.status_code)


# --- which files there are, and who serves them ----------------------------------------------------------

def test_every_file_field_of_the_project_is_accounted_for():
    found = {f"{model._meta.app_label}.{model.__name__}.{field.name}"
             for model in apps.get_models() if model._meta.app_label in PROJECT_APPS
             for field in model._meta.get_fields() if isinstance(field, models.FileField)}
    assert found == set(FILE_KINDS), (
        "A FileField without an entry in FILE_KINDS (or an entry for one that is gone): serve its file only "
        "through a view that checks the reader's scope, add it here with that view's URL name, and test it "
        "below like the others.")
    for url_name, _why in FILE_KINDS.values():
        if url_name is not None:
            reverse(url_name, args=[1])


def test_only_the_scope_checking_views_hand_out_stored_files():
    # given every Python module of the project's apps
    serving = set()
    for app in PROJECT_APPS:
        for path in (ROOT / app).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if "FileResponse(" in text or "views.static" in text or "static.serve" in text:
                serving.add(str(path.relative_to(ROOT)))
    # then only the three download views answer with a file, and nothing uses Django's static serving
    assert serving == SERVING_MODULES
    assert "conf.urls.static" not in (ROOT / "portal" / "urls.py").read_text(encoding="utf-8")


def test_no_template_links_to_a_stored_file_directly():
    # a file's .url would be /media/… (or, with object storage, a signed address that bypasses the scope)
    offenders = []
    for app in (*PROJECT_APPS, "templates"):
        for path in (ROOT / app).rglob("*.html"):
            if re.search(r"\.file\.url|\.file\s*\.\s*url|MEDIA_URL", path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_no_address_serves_the_media_folder_even_with_debug_on(settings):
    import portal.urls

    # given the project's URLs as the development server (DEBUG on) builds them
    settings.DEBUG = True
    try:
        patterns = importlib.reload(portal.urls).urlpatterns
        resolver = URLResolver(RegexPattern(r"^/"), patterns)
        # then no pattern answers for a file under MEDIA_URL
        for name in ("ratings/evidence/1/台账.pdf", "imports/2026/01/名录.xlsx", "reports/1/abc/证明.pdf"):
            with pytest.raises(Resolver404):
                resolver.resolve(settings.MEDIA_URL + name)
    finally:
        settings.DEBUG = False
        importlib.reload(portal.urls)


# --- each kind, end to end ---------------------------------------------------------------------------------

def test_rating_evidence_goes_to_whoever_sees_the_rating_and_nobody_else(rworld):
    w = rworld
    evidence = w.evidence_b  # on ent_b's rating, in town B
    check_file(reverse("ratings:evidence_download", args=[evidence.pk]), _stored(evidence.file),
               right=[w.enterprise_b_user, w.org_staff, w.leader, w.town_staff_b, w.station_b_user],
               wrong=[w.bank_officer, w.insurer_officer, w.cadre, w.admin],
               other_scope=[w.enterprise_user, w.town_staff, w.station, w.park_station_user],
               media_name=evidence.file.name)


def test_an_appeals_attachment_goes_to_whoever_sees_the_appeal_and_nobody_else(aworld):
    w = aworld
    attachment = w.attachment_a  # on ent_a's own appeal
    check_file(reverse("liaison:appeal_attachment", args=[attachment.pk]), _stored(attachment.file),
               right=[w.enterprise_user, w.org_staff, w.town_staff, w.station, w.cadre, w.leader],
               wrong=[w.bank_officer, w.insurer_officer, w.admin],
               other_scope=[w.enterprise_b_user, w.town_staff_b, w.station_b_user, w.cadre_b],
               media_name=attachment.file.name)


@pytest.fixture
def certificate(dworld, django_capture_on_commit_callbacks):
    """Enterprise A's credit-enhancement certificate, asked for by its own user and made (a real PDF)."""
    w = dworld
    with django_capture_on_commit_callbacks(execute=False):
        report = report_services.report_request(kind=ReportKind.CREDIT_CERTIFICATE, params={"enterprise": w.ent_a.pk},
                                                acting_user=w.enterprise_user)
    report_services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    w.report = report
    return w


def test_a_generated_certificate_goes_to_its_requester_and_the_department_only(certificate):
    w = certificate
    stored = _stored(w.report.file)
    assert stored.startswith(b"%PDF-")
    check_file(reverse("reports:download", args=[w.report.pk]), stored,
               right=[w.enterprise_user, w.org_staff],
               # another user of any role, even one who sees enterprise A, did not ask for this file
               wrong=[w.town_staff, w.station, w.leader, w.bank_officer, w.insurer_officer, w.cadre, w.admin],
               other_scope=[w.enterprise_b_user],
               media_name=w.report.file.name)


def test_the_import_file_is_served_by_no_address_and_its_errors_only_to_the_department(
        world, django_capture_on_commit_callbacks):
    # given a registry file with one bad row, uploaded by the organization department
    batch = upload(world.org_staff, xlsx([[BAD_CODE, "甲公司", "东湖镇东湖村"] + [None] * 7]),
                   django_capture_on_commit_callbacks)
    url = reverse("import_errors", args=[batch.pk])
    # then the errors CSV goes to the department only, and no page names the stored file
    assert _client().get(url)["Location"].startswith(reverse(settings.LOGIN_URL))
    others = [world.town_staff, world.station, world.bank_officer, world.insurer_officer, world.enterprise_user,
              world.cadre, world.leader, world.admin]
    for user in others:
        assert _client(user).get(url).status_code == 403, user
    staff = _client(world.org_staff)
    errors = staff.get(url)
    assert errors.status_code == 200
    assert BAD_CODE in errors.content.decode("utf-8")
    for page in (reverse("import_detail", args=[batch.pk]), reverse("import_list"), url):
        assert batch.file.name not in staff.get(page).content.decode("utf-8")
    # and the file's own name under MEDIA_URL is no address
    for user in (None, world.org_staff):
        assert _client(user).get(settings.MEDIA_URL + batch.file.name).status_code == 404


# --- the public verification page ----------------------------------------------------------------------

def test_the_verification_page_states_the_certificate_and_no_personal_data(certificate):
    w = certificate
    person = w.ent_a.legal_representative
    code = w.report.certificate.code
    # when anyone, signed in or not, checks the certificate's code
    page = _client().get(reverse("verify", args=[code]))
    text = page.content.decode()
    # then it confirms the certificate and what it states
    assert page.status_code == 200
    assert 'data-result="valid"' in text
    assert w.ent_a.name in text
    # and shows nobody's name, ID number or mobile, masked or whole, nor who asked for it, nor the
    # enterprise's loans (what it has used and has left of its quota: the certificate's PDF says so, the
    # public page does not)
    for secret in (person.name, person.id_number, person.mobile, mask_id_number(person.id_number),
                   mask_mobile(person.mobile), w.enterprise_user.username, w.enterprise_user.get_full_name()):
        if secret:
            assert secret not in text, secret
    for label in ("已用", "可用"):
        assert label not in text, label
    assert w.report.filename not in text
