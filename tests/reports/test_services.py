"""Asking for a certificate and making it: who may, what is refused at which field, idempotency, the
worker's claim, and the PDF itself — Chinese text that extracts as written, with a CJK font embedded."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from portal.errors import AccessDenied, DomainError
from portal.models import AuditLog
from ratings import services as rating_services
from ratings.choices import RatingStatus
from reports import services
from reports.choices import ReportKind, ReportState
from reports.models import Certificate, Report

from .helpers import compact, pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db
RATING, CREDIT = ReportKind.RATING_CERTIFICATE, ReportKind.CREDIT_CERTIFICATE


def ask_rating(w, user=None):
    return services.report_request(kind=RATING, params={"rating": w.rated_a.pk}, acting_user=user or w.org_staff)


def ask_credit(w, user=None, enterprise=None, as_of=None):
    params = {"enterprise": (enterprise or w.ent_a).pk}
    if as_of:
        params["as_of"] = as_of
    return services.report_request(kind=CREDIT, params=params, acting_user=user or w.enterprise_user)


def test_a_rating_certificate_is_queued_with_what_it_states(dworld):
    # when org staff ask for ent_a's organization's certificate
    report = ask_rating(dworld)
    # then a queued report and a certificate stating the rating exist, and the request is audited
    assert (report.kind, report.state, report.progress) == (RATING, ReportState.QUEUED, 0)
    certificate = report.certificate
    assert certificate.rating == dworld.rated_a
    assert certificate.facts["stars"] == 5
    assert certificate.facts["organization"] == "东湖精密机械有限公司党支部"
    assert certificate.facts["enterprises"] == [{"name": "东湖精密机械有限公司", "uscc": dworld.ent_a.uscc}]
    assert len(certificate.code) == 12
    assert AuditLog.objects.filter(action="report.request", object_id=str(report.pk)).count() == 1


def test_asking_twice_gives_the_same_report(dworld):
    first = ask_rating(dworld)
    second = ask_rating(dworld)
    assert first.pk == second.pk
    assert Report.objects.count() == 1
    assert Certificate.objects.count() == 1


def test_a_failed_report_may_be_asked_for_anew(dworld):
    first = ask_rating(dworld)
    Report.objects.filter(pk=first.pk).update(state=ReportState.FAILED)
    second = ask_rating(dworld)
    assert second.pk != first.pk
    assert second.state == ReportState.QUEUED


def test_the_rating_certificate_pdf_reads_in_chinese_with_a_cjk_font_embedded(dworld):
    report = ask_rating(dworld)
    # when the worker makes it
    assert services.report_generate(report_id=report.pk) == ReportState.DONE
    report.refresh_from_db()
    # then the file is stored with its checksum, and says what the certificate states
    assert (report.state, report.progress, report.attempts) == (ReportState.DONE, 100, 1)
    content = default_storage.open(report.file.name).read()
    assert content.startswith(b"%PDF-")
    import hashlib

    assert report.checksum == hashlib.sha256(content).hexdigest()
    assert report.size == len(content)
    text = compact(pdf_text(content))
    assert "星级党组织证书" in text
    assert "东湖精密机械有限公司党支部" in text
    assert "5星级党组织" in text
    assert report.certificate.code[:4] in text
    assert "中共星湖市委组织部（两新工委）" in text
    assert any("Noto-Serif-CJK-SC" in name for name in pdf_fonts(content)), pdf_fonts(content)


def test_running_the_task_twice_makes_one_file(dworld):
    report = ask_rating(dworld)
    assert services.report_generate(report_id=report.pk) == ReportState.DONE
    first = Report.objects.get(pk=report.pk)
    # when the task runs again (a duplicate message)
    assert services.report_generate(report_id=report.pk) is None
    # then nothing changed: one report, the same file, one attempt
    again = Report.objects.get(pk=report.pk)
    assert (again.file.name, again.checksum, again.attempts) == (first.file.name, first.checksum, 1)
    assert Report.objects.count() == 1


def _silence(report, seconds=61):
    """The holding run's heartbeat stopped `seconds` ago (its worker died); the stale limit is 60 s."""
    Report.objects.filter(pk=report.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(seconds=seconds))


def test_a_run_that_lost_the_report_cannot_overwrite_it(dworld):
    # given a first run claims the report, its heartbeat stops (the worker died) and a second run,
    # started by a new message, takes it over
    report = ask_rating(dworld)
    old = services.report_claim(report_id=report.pk)
    _silence(report)
    new = services.report_claim(report_id=report.pk)
    assert old
    assert new
    assert old != new
    # when the first run finishes late
    assert services.report_finish(report_id=report.pk, token=old, filename="a.pdf", content=b"%PDF-old",
                                  content_type="application/pdf") is False
    # then it left no file and no state; the second run's result is the one kept
    assert services.report_progress(report_id=report.pk, token=old, progress=50) is False
    assert services.report_finish(report_id=report.pk, token=new, filename="b.pdf", content=b"%PDF-new",
                                  content_type="application/pdf") is True
    report.refresh_from_db()
    assert (report.state, report.filename, report.attempts) == (ReportState.DONE, "b.pdf", 2)
    assert default_storage.open(report.file.name).read() == b"%PDF-new"
    assert not default_storage.exists(f"reports/{report.pk}/{old}/a.pdf")


def test_a_failure_is_recorded_with_its_reason(dworld, monkeypatch):
    report = ask_rating(dworld)

    def broken(*args, **kwargs):
        raise RuntimeError("字体缺失")

    monkeypatch.setattr("reports.documents.certificates.render_pdf", broken)
    assert services.report_generate(report_id=report.pk) == ReportState.FAILED
    report.refresh_from_db()
    assert report.state == ReportState.FAILED
    assert "字体缺失" in report.error
    assert not report.file


@pytest.mark.parametrize("status", [RatingStatus.SELF, RatingStatus.REVOKED])
def test_only_a_published_rating_gets_a_certificate(dworld, status, cycle):  # noqa: F811
    if status == RatingStatus.REVOKED:
        rating_services.rating_revoke(acting_user=dworld.org_staff, rating=dworld.rated_a, reason="发生重大安全事故",
                                      expected_version=dworld.rated_a.version)
        rating = dworld.rated_a
    else:
        from ratings.models import PartyOrganization
        from ratings.services import organization_create, rating_start

        org = organization_create(acting_user=dworld.org_staff, name="东湖新建党支部", kind="branch",
                                  region=dworld.village_a)
        rating = rating_start(acting_user=dworld.org_staff, cycle=cycle, organization=org)
        assert PartyOrganization.objects.filter(pk=org.pk).exists()
    with pytest.raises(DomainError) as refused:
        services.report_request(kind=RATING, params={"rating": rating.pk}, acting_user=dworld.org_staff)
    assert refused.value.field == "rating"
    assert "只有已命名且未撤销的星级可以出具评星证书" in refused.value.message
    assert Report.objects.count() == 0


def test_the_credit_certificate_states_stars_quota_and_discounts(dworld):
    report = ask_credit(dworld)
    facts = report.certificate.facts
    assert (facts["stars"], facts["quota"], facts["quota_text"]) == (5, "5000000.00", "5,000,000.00")
    assert facts["available_text"] == "5,000,000.00"
    assert facts["discounts"] == [{"insurer": str(dworld.insurer), "product": "党建惠企安全生产责任险",
                                   "percent": "30.00"}]
    services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    text = compact(pdf_text(default_storage.open(report.file.name).read()))
    assert "党建增信证明" in text
    assert "东湖精密机械有限公司" in text
    assert "5,000,000.00" in text
    assert "30.00%" in text


def test_a_credit_certificate_needs_a_valid_rating_on_its_day(dworld, world):
    from tests.factories import EnterpriseFactory

    unrated = EnterpriseFactory(name="东湖未评企业有限公司", region=world.village_a)
    with pytest.raises(DomainError) as refused:
        ask_credit(dworld, user=world.org_staff, enterprise=unrated)
    assert refused.value.field == "enterprise"
    assert "没有有效星级" in refused.value.message
    with pytest.raises(DomainError) as refused:
        ask_credit(dworld, as_of=(datetime.date.today() + datetime.timedelta(days=2)).isoformat())
    assert refused.value.field == "as_of"
    with pytest.raises(DomainError) as refused:
        ask_credit(dworld, as_of="2026-13-01")
    assert refused.value.field == "as_of"
    assert Report.objects.count() == 0


def test_who_may_ask_for_a_certificate(dworld, world):
    from django.http import Http404

    # a bank officer, a leader, a cadre: refused outright
    for user in (world.bank_officer, world.leader, world.cadre, world.admin):
        with pytest.raises(AccessDenied):
            ask_credit(dworld, user=user)
    # another enterprise, another town's staff or station: the enterprise is not theirs (404)
    for user in (world.enterprise_b_user, world.town_staff_b, world.station_b_user):
        with pytest.raises(Http404):
            ask_credit(dworld, user=user)
    # the enterprise itself, its station, its town, the department: yes
    for user in (world.enterprise_user, world.station, world.town_staff, world.org_staff):
        assert ask_credit(dworld, user=user).state == ReportState.QUEUED
    assert Report.objects.count() == 4


def test_a_cycle_batch_zips_one_certificate_per_valid_rating_and_keeps_codes_on_retry(dworld, cycle):  # noqa: F811
    import io
    import zipfile

    # given two published ratings in the cycle (ent_a five stars, ent_b three)
    report = services.report_request(kind=ReportKind.CERTIFICATE_BATCH, params={"cycle": cycle.pk},
                                     acting_user=dworld.org_staff)
    assert "全市（2份）" in report.title
    assert services.report_generate(report_id=report.pk) == ReportState.DONE
    report.refresh_from_db()
    codes = sorted(report.certificates.values_list("code", flat=True))
    assert len(codes) == 2
    archive = zipfile.ZipFile(io.BytesIO(default_storage.open(report.file.name).read()))
    names = sorted(archive.namelist())
    assert len(names) == 2
    assert all(n.endswith(".pdf") for n in names)
    assert any("东湖精密机械有限公司党支部" in n for n in names)
    first = archive.read(next(n for n in names if "西山" in n))
    assert "3星级党组织" in compact(pdf_text(first))
    # when the batch is made again (a redelivered message after a worker died), the codes stay
    Report.objects.filter(pk=report.pk).update(state=ReportState.RUNNING)
    _silence(report)
    assert services.report_generate(report_id=report.pk) == ReportState.DONE
    assert sorted(report.certificates.values_list("code", flat=True)) == codes


def test_only_org_staff_make_batches_and_only_of_cycles_with_valid_ratings(dworld, rubric):  # noqa: F811
    from ratings.services import cycle_create

    with pytest.raises(AccessDenied):
        services.report_request(kind=ReportKind.CERTIFICATE_BATCH, params={"cycle": 1},
                                acting_user=dworld.town_staff)
    empty = cycle_create(acting_user=dworld.org_staff, year=2030, rubric=rubric,
                         opens_on=datetime.date(2030, 3, 1), closes_on=datetime.date(2030, 12, 31))
    with pytest.raises(DomainError) as refused:
        services.report_request(kind=ReportKind.CERTIFICATE_BATCH, params={"cycle": empty.pk},
                                acting_user=dworld.org_staff)
    assert refused.value.field == "cycle"
    assert Report.objects.count() == 0


def test_a_batch_by_town_holds_that_towns_certificates_only(dworld, cycle):  # noqa: F811
    report = services.report_request(kind=ReportKind.CERTIFICATE_BATCH,
                                     params={"cycle": cycle.pk, "region": dworld.town_b.pk}, acting_user=dworld.org_staff)
    assert "西山街道（1份）" in report.title
    services.report_generate(report_id=report.pk)
    assert [c.organization.name for c in report.certificates.all()] == ["西山食品有限公司党支部"]


def test_a_batch_too_large_for_one_run_is_refused_and_asked_by_town(dworld, cycle, monkeypatch):  # noqa: F811
    monkeypatch.setattr("reports.documents.certificates.BATCH_MAX", 1)
    with pytest.raises(DomainError) as refused:
        services.report_request(kind=ReportKind.CERTIFICATE_BATCH, params={"cycle": cycle.pk},
                                acting_user=dworld.org_staff)
    assert (refused.value.field, refused.value.code) == ("region", "too_many")
    assert "请按镇（街道）分批打包" in refused.value.message
    with pytest.raises(DomainError) as refused:
        services.report_request(kind=ReportKind.CERTIFICATE_BATCH, params={"cycle": cycle.pk, "region": "x"},
                                acting_user=dworld.org_staff)
    assert refused.value.field == "region"
    # by town it fits
    assert services.report_request(kind=ReportKind.CERTIFICATE_BATCH, params={"cycle": cycle.pk,
                                   "region": dworld.town_a.pk}, acting_user=dworld.org_staff).state == "queued"
    assert Report.objects.count() == 1
