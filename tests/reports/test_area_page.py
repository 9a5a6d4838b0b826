"""The leaders' stars-by-area table a page at a time (`area_page`): each area keeps its own links, the
pager keeps the dashboard's filters, and a page number out of range gives the last page."""

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
