"""The leaders' stars-by-area table a page at a time (`area_page`): each area keeps its own links, the
pager keeps the dashboard's filters, and a page number out of range gives the last page."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from reports.templatetags.report_tags import AREAS_PER_PAGE, area_page

AREAS = [{"name": f"镇{n:03d}"} for n in range(45)]
LINKS = [{"total": f"/ratings/?region={n}"} for n in range(45)]


def page_of(query: str):
    request = RequestFactory().get("/reports/dashboard/" + query)
    return area_page(Context({"request": request}), AREAS, LINKS)


def test_a_page_holds_its_areas_with_their_own_links_and_the_filters_without_the_page():
    page = page_of("?region=7&date_to=2026-06-30&areas=2")
    assert AREAS_PER_PAGE == 20
    assert [a["name"] for a, _links in page] == [f"镇{n:03d}" for n in range(20, 40)]
    assert all(links["total"] == f"/ratings/?region={int(a['name'][1:])}" for a, links in page)
    assert page.query == "region=7&date_to=2026-06-30"


def test_the_last_page_is_given_for_a_page_out_of_range_and_the_first_by_default():
    assert [a["name"] for a, _links in page_of("?areas=99")] == [f"镇{n:03d}" for n in range(40, 45)]
    assert page_of("").number == 1


def test_the_pager_links_keep_the_filters():
    request = RequestFactory().get("/reports/dashboard/?region=7&areas=2")
    html = Template("{% load report_tags %}{% area_page areas links as p %}{{ p.number }}/{{ p.paginator.num_pages }}"
                    "|{{ p.query }}").render(Context({"request": request, "areas": AREAS, "links": LINKS}))
    assert html == "2/3|region=7"


def test_the_area_links_are_made_only_for_the_rows_asked_for():
    from reports.figures.links import LazyList

    made = []
    links = LazyList(300, lambda k: made.append(k) or {"total": f"/ratings/?region={k}"})
    page = area_page(Context({"request": RequestFactory().get("/reports/dashboard/?areas=3")}),
                     [{"name": str(k)} for k in range(300)], links)
    assert [pair[1]["total"] for pair in page][:2] == ["/ratings/?region=40", "/ratings/?region=41"]
    assert made == list(range(40, 60))
    assert len(links) == 300
    assert links[-1] == {"total": "/ratings/?region=299"}


@pytest.mark.django_db
def test_the_region_options_select_the_chosen_town_and_escape_names(world):
    from portal.models import Region
    from reports.dashboard_forms import LeaderFilterForm
    from reports.templatetags.report_tags import region_options

    world.town_b.name = "西山<街道>"
    world.town_b.save()
    towns = Region.objects.filter(level="town").order_by("code")
    form = LeaderFilterForm({"region": str(world.town_b.pk)}, regions=towns)
    html = region_options(form["region"])
    assert html == (f'<option value="{world.town_a.pk}">东湖镇</option>'
                    f'<option value="{world.town_b.pk}" selected>西山&lt;街道&gt;</option>')
    required = LeaderFilterForm(regions=towns.filter(pk=world.town_a.pk), region_required=True)
    assert region_options(required["region"]) == f'<option value="{world.town_a.pk}" selected>东湖镇</option>'
