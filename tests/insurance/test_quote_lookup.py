"""The quote form finds the enterprise by its name or its credit code, as the eligibility page does,
and suggests matches as one types; its required fields say so."""

import re

import pytest
from django.urls import reverse

from insurance.models import Quote
from portal.models import AuditLog
from tests.access import AccessCase, case_id, run_access_case, users
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
SEARCH = "insurance:quote_enterprise_search"


def quote_post(w, enterprise, **changes):
    return {"enterprise": enterprise, "product": w.p1.pk, "base_premium": "12,345.67", "action": "create", **changes}


def field_error(response, field="enterprise") -> str:
    found = re.search(rf'data-field="{field}">([^<]*)<', response.content.decode())
    return found.group(1) if found else ""


ACCESS_CASES = [
    AccessCase(SEARCH, lambda w: reverse(SEARCH) + "?q=东湖", right=users("insurer_officer", "insurer2_officer", "station"),
               wrong=users("org_staff", "leader", "town_staff", "enterprise_user", "bank_officer", "cadre", "admin"),
               other_scope=users("station_b_user"), other_status=(200,), marker=lambda w: w.ent_a.uscc,
               why_no_other_scope="an insurer quotes whichever enterprise comes to it: every insurer finds any"),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=case_id)
def test_access(case, rated):
    run_access_case(case, rated)


def test_a_quote_is_made_for_an_enterprise_named_by_its_whole_name(client, rated):
    client.force_login(rated.insurer_officer)
    response = client.post(reverse("insurance:quote_create"), quote_post(rated, "东湖精密机械有限公司"))
    assert response.status_code == 302
    assert Quote.objects.get().enterprise == rated.ent_a


def test_a_part_of_a_name_that_fits_one_enterprise_finds_it(client, rated):
    client.force_login(rated.insurer_officer)
    response = client.post(reverse("insurance:quote_create"), quote_post(rated, "西山食品"))
    assert response.status_code == 302
    assert Quote.objects.get().enterprise == rated.ent_b


def test_a_name_that_fits_several_lists_them_at_the_field(client, rated):
    EnterpriseFactory(name="东湖精密模具有限公司", region=rated.village_a)
    other = EnterpriseFactory(name="东湖精密铸造有限公司", region=rated.village_a)
    client.force_login(rated.insurer_officer)
    response = client.post(reverse("insurance:quote_create"), quote_post(rated, "东湖精密"))
    assert response.status_code == 400
    message = field_error(response)
    assert message.startswith("有多家企业符合“东湖精密”：")
    assert f"东湖精密机械有限公司（{rated.ent_a.uscc}）" in message
    assert f"东湖精密铸造有限公司（{other.uscc}）" in message
    assert message.endswith("请从提示中选择，或填写完整的统一社会信用代码。")
    assert not Quote.objects.exists()


def test_a_name_found_nowhere_or_outside_the_stations_area_is_refused(client, rated):
    client.force_login(rated.station)  # 东湖镇: ent_b (西山街道) is not its to quote
    response = client.post(reverse("insurance:quote_create"), quote_post(rated, "西山食品", product=rated.p2.pk))
    assert response.status_code == 400
    assert field_error(response) == "没有找到名称含“西山食品”的企业，或您不能为其报价。"
    assert not Quote.objects.exists()


def test_the_search_answers_an_insurer_by_name_or_code_and_is_on_the_record(client, rated):
    client.force_login(rated.insurer_officer)
    by_name = client.get(reverse(SEARCH), {"q": "西山"}).json()["results"]
    assert by_name == [{"uscc": rated.ent_b.uscc, "name": "西山食品有限公司", "region": "西山社区"}]
    by_code = client.get(reverse(SEARCH), {"q": rated.ent_a.uscc[:10].lower()}).json()["results"]
    assert [row["uscc"] for row in by_code] == [rated.ent_a.uscc]
    assert client.get(reverse(SEARCH), {"q": "西"}).json() == {"results": []}  # two characters at least
    assert AuditLog.objects.filter(action="eligibility.lookup", actor=rated.insurer_officer).count() == 2


def test_the_search_answers_a_station_within_its_area_only(client, rated):
    client.force_login(rated.station)
    assert client.get(reverse(SEARCH), {"q": "西山"}).json() == {"results": []}
    assert [row["name"] for row in client.get(reverse(SEARCH), {"q": "东湖"}).json()["results"]] == ["东湖精密机械有限公司"]


def test_the_form_marks_its_required_fields_and_wires_the_search(client, rated):
    client.force_login(rated.insurer_officer)
    page = client.get(reverse("insurance:quote_create")).content.decode()
    for name in ("enterprise", "product", "base_premium"):
        tag = re.search(rf'<(?:input|select)[^>]*name="{name}"[^>]*>', page).group(0)
        assert 'aria-required="true"' in tag, tag
        assert re.search(rf'<label[^>]*for="id_{name}">[^<]*<span class="text-danger">\*</span>', page), name
    assert f'data-enterprise-search="{reverse(SEARCH)}"' in page
    assert 'list="enterprise-options"' in page
    assert '<datalist id="enterprise-options"></datalist>' in page
    assert "insurance/enterprise_search.js" in page
