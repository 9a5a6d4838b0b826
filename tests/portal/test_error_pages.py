"""A page that does not exist, or one the user's role may not open, answers in Chinese inside the
portal, with the menu and a way back; a server error answers with a page of its own."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_missing_page_says_so_in_the_portal(world):
    client = Client()
    client.force_login(world.enterprise_user)
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'data-status="404"' in page
    assert "页面不存在" in page
    assert f'href="{reverse("home")}"' in page
    assert "portal-navbar" in page


def test_a_record_out_of_scope_is_the_same_404(world):
    client = Client()
    client.force_login(world.enterprise_b_user)
    response = client.get(reverse("enterprise_detail", args=[world.ent_a.pk]))
    assert response.status_code == 404
    assert 'data-status="404"' in response.content.decode()


def test_a_page_the_role_may_not_open_says_so(world):
    client = Client()
    client.force_login(world.bank_officer)
    response = client.get(reverse("enterprise_create"))
    assert response.status_code == 403
    assert 'data-status="403"' in response.content.decode()
    assert "没有权限" in response.content.decode()


def test_a_server_error_answers_with_its_own_page(world, settings):
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert "系统繁忙" in page
