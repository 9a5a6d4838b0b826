"""The browser tab names the page first, then the portal; a page with no title of its own is named
by the portal alone, with no dangling separator."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


@pytest.mark.django_db
def test_a_page_is_named_before_the_portal(client, world):
    client.force_login(world.org_staff)
    assert title(client.get(reverse("enterprise_list"))) == "市场主体 · 党建+服务门户"


@pytest.mark.parametrize(("block", "expected"), [
    ("", "党建+服务门户"),
    ("  \n ", "党建+服务门户"),
    ("评星定级", "评星定级 · 党建+服务门户"),
    ("A &amp; B", "A &amp; B · 党建+服务门户"),
])
def test_a_page_with_no_title_of_its_own_is_named_by_the_portal_alone(block, expected):
    base = Template("{% load titles %}{% page_title %}{% block title %}{% endblock %}{% endpage_title %}")
    child = Template("{% extends base %}{% block title %}" + block + "{% endblock %}")
    assert child.render(Context({"base": base})) == expected


@pytest.mark.django_db
def test_the_title_follows_the_language(client, world):
    client.force_login(world.org_staff)
    client.cookies["django_language"] = "en"
    name = title(client.get(reverse("enterprise_list")))
    assert name.endswith(" · Party Building + Services Portal")
    assert not re.search(r"[\u4e00-\u9fff]", name), name
