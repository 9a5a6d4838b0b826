"""Colour is never the only signal (WCAG 1.4.1, GB/T 37668): stars, satisfaction scores and overdue
appeals say what they mean in words, for a screen reader and for a person who cannot tell the colours
apart. The browser-side checks (axe-core, keyboard, zoom) are in tests/browser/test_accessibility.py."""

import pytest
from django.urls import reverse
from django.utils import translation

from insurance.templatetags.insurance_tags import insurance_stars
from ratings.templatetags.ratings_tags import star_icons
from tests.finance.conftest import product, product2, quota_table  # noqa: F401  (fixtures)
from tests.ratings.conftest import rubric  # noqa: F401  (fixture)
from tests.reports.figures_world import hist  # noqa: F401  (fixture)

STARS_4 = ('<span class="stars" title="4 星" data-stars="4"><span class="text-warning" aria-hidden="true">★★★★'
           '<span class="text-body-tertiary">☆</span></span><span class="visually-hidden">4 星</span></span>')


@pytest.mark.parametrize("render", [star_icons, insurance_stars])
def test_stars_are_drawn_for_the_eye_and_counted_in_words_for_a_screen_reader(render):
    with translation.override("zh-hans"):
        assert render(4) == STARS_4
        assert render(None) == "—"
        assert render(0) == "—"


def test_stars_are_counted_in_english_words_in_english():
    with translation.override("en"):
        assert '<span class="visually-hidden">5 of 5 stars</span>' in star_icons(5)


def signed_in(client, user):
    client.force_login(user)
    return client


def test_an_overdue_appeal_says_so_in_words_and_a_score_in_numbers(hist, client):  # noqa: F811
    """In hist, T-0001 (ent_a) is overdue and T-0003 was rated 4."""
    body = signed_in(client, hist.org_staff).get(reverse("liaison:appeal_list")).content.decode()
    overdue_row = body.split('data-appeal="T-0001"')[1].split("</tr>")[0]
    assert ('<span class="badge text-bg-danger" data-flag="overdue"><i class="bi bi-exclamation-triangle-fill" '
            'aria-hidden="true"></i> 超期</span>') in overdue_row
    rated_row = body.split('data-appeal="T-0003"')[1].split("</tr>")[0]
    assert ('<span class="text-warning" aria-hidden="true">★★★★</span>'
            '<span class="visually-hidden">4 分（满分 5 分）</span>') in rated_row
    assert 'data-flag="overdue"' not in rated_row


def test_the_enterprises_appeal_tab_flags_the_overdue_one_in_words(hist, client):  # noqa: F811
    url = reverse("enterprise_tab", args=[hist.ent_a.pk, "appeals"])
    body = signed_in(client, hist.org_staff).get(url).content.decode()
    assert body.count('data-flag="overdue"') == 1
    overdue_row = body.split(f'href="{reverse("liaison:appeal_detail", args=[hist.a1.pk])}"')[1].split("</tr>")[0]
    assert "超期</span>" in overdue_row


def test_a_rated_appeal_tells_its_score_in_words(hist, client):  # noqa: F811
    body = signed_in(client, hist.org_staff).get(reverse("liaison:appeal_detail", args=[hist.a3.pk])).content.decode()
    satisfaction = body.split('id="satisfaction"')[1].split("</dd>")[0]
    assert ('<span class="text-warning" aria-hidden="true">★★★★☆</span>'
            '<span class="visually-hidden">4 分（满分 5 分）</span>') in satisfaction
