"""After a refused submission the person sees what is wrong without hunting: a summary at the top linking
to each field in error, the fields marked for assistive technology, what was typed kept. Filters offer
全部, never "---------"."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.templatetags.form_tags import summary_items
from portal.views.base import FilteredListView


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_refused_form_has_a_summary_linking_to_each_field_in_error(world):
    # given the organization department entering a person with a wrong ID number and mobile
    response = _client(world.org_staff).post(reverse("person_create"), {
        "name": "赵错号", "id_number": "110101199003071234", "mobile": "1380000"})
    page = response.content.decode()
    # then the page says how many problems there are, at the top, and links to each field
    assert response.status_code == 400
    summary = re.search(r'<div class="alert alert-danger error-summary" role="alert" tabindex="-1" '
                        r'data-error-summary>(.*?)</div>', page, re.S).group(1)
    assert "请修正以下 2 处错误" in summary
    assert re.findall(r'href="(#[^"]+)"', summary) == ["#id_id_number", "#id_mobile"]
    # and each field in error is marked invalid and described by its message
    assert re.search(r'<input[^>]*name="id_number"[^>]*aria-invalid="true"', page)
    assert re.search(r'<input[^>]*name="id_number"[^>]*aria-describedby="id_id_number_error"', page)
    assert re.search(r'<input[^>]*name="id_number"[^>]*class="form-control is-invalid"', page)
    assert '<div id="id_id_number_error"><div class="invalid-feedback d-block" data-field="id_number">' in page
    # and what was typed is still there
    assert 'value="110101199003071234"' in page
    assert 'value="赵错号"' in page
    # and the script that moves the focus to the summary is on the page, from a file
    assert "portal/forms.js" in page


def test_errors_of_the_whole_form_are_listed_too(db):
    response = Client().post(reverse("login"), {"username": "nobody", "password": "wrong"})
    page = response.content.decode()
    summary = re.search(r"data-error-summary>(.*?)</div>", page, re.S).group(1)
    assert "请修正以下 1 处错误" in summary
    assert "<li>请输入一个正确的用户名和密码。" in summary


def test_an_untouched_form_has_no_summary(world):
    page = _client(world.org_staff).get(reverse("person_create")).content.decode()
    assert "data-error-summary" not in page
    assert 'aria-invalid' not in page


def test_summary_items_put_the_forms_own_errors_first():
    from django import forms

    class TwoFields(forms.Form):
        version = forms.IntegerField(widget=forms.HiddenInput)
        amount = forms.DecimalField(label="金额")

        def clean(self):
            raise forms.ValidationError("额度不足。")

    form = TwoFields({"version": "x", "amount": "abc"})
    form.is_valid()
    assert [(i["text"], i["href"]) for i in summary_items(form)] == [
        ("额度不足。", ""), ("输入整数。", ""), ("输入一个数字。", "#id_amount")]


def test_the_verification_page_keeps_the_code_it_rejects(db):
    response = Client().get(reverse("verify_form"), {"code": "ABCD-EFGH-JKMN"})
    page = response.content.decode()
    assert response.status_code == 404
    assert re.search(r'<input[^>]*name="code"[^>]*value="ABCD-EFGH-JKMN"[^>]*aria-invalid="true" '
                     r'aria-describedby="verify-result"', page)
    assert 'id="verify-result" data-result="unknown" role="alert"' in page


def _list_pages():
    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin" or str(p.pattern).startswith("api/"):
                    continue
                yield from walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name and not p.pattern.converters:
                view_class = getattr(p.callback, "view_class", None)
                if view_class is not None and issubclass(view_class, FilteredListView):
                    yield f"{namespace}{p.name}"

    return sorted(set(walk(get_resolver().url_patterns)))


ROLES = ("org_staff", "leader", "bank_officer", "insurer_officer", "station", "cadre", "admin", "enterprise_user")


@pytest.mark.parametrize("name", _list_pages())
def test_every_filter_offers_all_instead_of_dashes(world, name):
    # given a list page with its filters, as the first role that may see it
    for role in ROLES:
        response = _client(getattr(world, role)).get(reverse(name))
        if response.status_code == 200:
            break
    else:
        pytest.fail(f"no role sees {name}")
    page = response.content.decode()
    # then no choice reads "---------", and each select's empty choice reads 全部
    assert "---------" not in page
    filters = page.split("<form", 2)[1] if page.count("<form") > 1 else page
    for select in re.findall(r"<select[^>]*>.*?</select>", filters, re.S):
        first = re.search(r'<option value=""[^>]*>([^<]*)</option>', select)
        if first:
            assert first.group(1) in ("全部", "全市"), select[:200]


def test_an_input_forms_empty_choice_asks_to_choose_and_villages_carry_their_town(world):
    page = _client(world.org_staff).get(reverse("enterprise_create")).content.decode()
    assert "---------" not in page
    region = re.search(r'<select name="region".*?</select>', page, re.S).group(0)
    assert '<option value="" selected>请选择</option>' in region
    assert f'<option value="{world.village_a.pk}">东湖镇 · 东湖村</option>' in region
    assert f'<option value="{world.town_a.pk}">东湖镇</option>' in region
    park = re.search(r'<select name="park".*?</select>', page, re.S).group(0)
    assert '<option value="" selected>（无）</option>' in park
