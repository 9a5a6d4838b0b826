"""The certificates as documents: in the language they were asked in (each language its own copy, a
Chinese one without English labels), the credit-enhancement certificate on one A4 page however many
insurance discounts it lists, its QR code and address on the configured public address, and the
deployment check that warns when that address is this machine's own."""

import io

import pytest
from django.core import checks
from django.core.files.storage import default_storage
from django.utils import translation
from pypdf import PdfReader

from insurance import services as insurance_services
from insurance.choices import ProductCategory
from reports import services
from reports.checks import check_public_url, is_local_address
from reports.choices import ReportKind, ReportState
from reports.documents.pdf import qr_data_uri, verification_context
from reports.models import Report

from .helpers import compact, pdf_text

pytestmark = pytest.mark.django_db
RATING, CREDIT = ReportKind.RATING_CERTIFICATE, ReportKind.CREDIT_CERTIFICATE


def _ask(w, kind, lang, user=None):
    params = {"rating": w.rated_a.pk} if kind == RATING else {"enterprise": w.ent_a.pk}
    with translation.override(lang):
        report = services.report_request(kind=kind, params=params, acting_user=user or w.org_staff)
    assert services.report_generate(report_id=report.pk) == ReportState.DONE
    report.refresh_from_db()
    return report


def _pdf(report) -> bytes:
    return default_storage.open(report.file.name).read()


def test_a_certificate_asked_in_english_then_in_chinese_gives_two_documents_each_in_its_language(dworld):
    # given a rating certificate asked from an English page (the worker has no language of its own)
    english = _ask(dworld, RATING, "en")
    # when the same certificate is asked from a Chinese page
    chinese = _ask(dworld, RATING, "zh-hans")
    # then they are two reports, each with its own certificate and code
    assert english.pk != chinese.pk
    assert (english.params["lang"], chinese.params["lang"]) == ("en", "zh-hans")
    assert Report.objects.filter(kind=RATING).count() == 2
    assert english.certificate.code != chinese.certificate.code
    # and the Chinese one carries no English label (the organization kind among them)
    zh = compact(pdf_text(_pdf(chinese)))
    assert "组织类型：党支部" in zh
    for english_word in ("Party branch", "Organization type", "Region", "Validity", "Verification code"):
        assert compact(english_word) not in zh, english_word
    # and the English one reads in English, the stored data (names) as entered
    en = pdf_text(_pdf(english))
    for label in ("Star-rated Party organization certificate", "Organization type: Party branch",
                  "Verification code:", "东湖精密机械有限公司党支部"):
        assert compact(label) in compact(en), label
    assert "组织类型" not in en
    assert "星级党组织证书" not in en
    # and asking again in either language gives back its own copy
    with translation.override("en"):
        again = services.report_request(kind=RATING, params={"rating": dworld.rated_a.pk}, acting_user=dworld.org_staff)
    assert again.pk == english.pk


def test_the_credit_certificate_in_english_has_english_labels_and_dates(dworld):
    report = _ask(dworld, CREDIT, "en", user=dworld.enterprise_user)
    text = compact(pdf_text(_pdf(report)))
    for label in ("Credit-enhancementcertificate", "Creditloanquota", "5,000,000.00", "30.00%"):
        assert label in text, label
    assert "年" not in text.replace(dworld.ent_a.name, "")  # no Chinese date: "8 December 2026"
    assert "党建增信证明" not in text


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_credit_certificate_fits_on_one_a4_page_with_many_insurance_products(dworld, lang):
    # given three insurers' worth of products the enterprise gets a discount on
    for insurer in (dworld.insurer, dworld.insurer2):
        for n, category in enumerate([ProductCategory.SAFETY_LIABILITY, ProductCategory.PROPERTY] * 4):
            insurance_services.product_create(acting_user=dworld.org_staff, insurer=insurer,
                                              name=f"{insurer.short_name}党建惠企保险{n + 1}号", category=category)
    report = _ask(dworld, CREDIT, lang, user=dworld.enterprise_user)
    assert len(report.certificate.facts["discounts"]) == 17
    # then the PDF is one A4 page that still names every product
    reader = PdfReader(io.BytesIO(_pdf(report)))
    assert len(reader.pages) == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 portrait, in points
    text = compact(pdf_text(_pdf(report)))
    assert "党建惠企保险8号" in text


def test_the_qr_code_and_the_address_use_the_configured_public_address(dworld, settings):
    settings.PORTAL_PUBLIC_URL = "https://portal.example.gov.cn/"
    report = _ask(dworld, RATING, "zh-hans")
    code = report.certificate.code
    expected = f"https://portal.example.gov.cn/verify/{code}/"
    context = verification_context(code)
    assert context["verification_url"] == expected
    assert context["qr"] == qr_data_uri(expected)
    assert expected in compact(pdf_text(_pdf(report)))
    assert "127.0.0.1" not in pdf_text(_pdf(report))


@pytest.mark.parametrize(("url", "local"), [
    ("http://127.0.0.1:8000", True), ("http://localhost:8000/", True), ("", True), ("http://0.0.0.0", True),
    ("http://[::1]:8000", True), ("https://portal.example.gov.cn", False), ("http://10.1.2.3", False),
])
def test_which_public_addresses_only_this_machine_reaches(url, local):
    assert is_local_address(url) is local


def test_the_deployment_check_warns_when_the_public_address_is_not_set(settings):
    settings.PORTAL_PUBLIC_URL = "http://127.0.0.1:8000"
    found = [m for m in checks.run_checks(include_deployment_checks=True) if m.id == "reports.W001"]
    assert len(found) == 1
    assert found[0].level == checks.WARNING
    assert "PORTAL_PUBLIC_URL" in found[0].msg
    # not among the checks of every start: a deployment check only
    assert [m for m in checks.run_checks() if m.id == "reports.W001"] == []
    settings.PORTAL_PUBLIC_URL = "https://portal.example.gov.cn"
    assert check_public_url() == []
