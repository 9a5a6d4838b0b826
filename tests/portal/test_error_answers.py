"""Errors answer in the caller's language: JSON under /api/, the portal's pages elsewhere; a year that
does not exist is refused at its field; an unreachable database answers 503, not a 500."""

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["0", "-1", "99999", "2024.5", "abc"])
def test_an_impossible_year_is_refused_at_its_field_in_the_api(world, year):
    client = APIClient()
    client.force_login(world.org_staff)
    response = client.get("/api/v1/appeals/", {"year": year})
    assert response.status_code == 400
    assert response.json()["errors"]["year"]


@pytest.mark.parametrize("path", ["/liaison/appeals/", "/liaison/care/", "/talent/training/"])
def test_an_impossible_year_on_a_list_page_is_a_message_not_a_500(world, path):
    client = Client()
    client.force_login(world.org_staff)
    response = client.get(path, {"year": "0"})
    assert response.status_code == 200, path
    assert "1990" in response.content.decode()  # the field's own message names the smallest year


def test_a_real_year_still_filters(world):
    client = APIClient()
    client.force_login(world.org_staff)
    response = client.get("/api/v1/appeals/", {"year": "2026"})
    assert response.status_code == 200
    assert "results" in response.json()


@pytest.mark.parametrize("path", ["/api/v1/appeals/0.5/", "/api/v1/no-such-thing/", "/api/nothing"])
def test_a_missing_api_address_answers_json(world, path):
    client = APIClient()
    client.force_login(world.org_staff)
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_a_missing_page_still_answers_with_the_portal_page(world):
    client = Client()
    client.force_login(world.org_staff)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


class _Outage:
    """The real connection pointed at a port where no PostgreSQL listens, and put back on `end()`."""

    def __init__(self):
        self.saved = connection.settings_dict["HOST"], connection.settings_dict["PORT"]

    def begin(self):
        connection.close()
        connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", "1"

    def end(self):
        connection.close()
        connection.settings_dict["HOST"], connection.settings_dict["PORT"] = self.saved


@pytest.fixture
def database_down(transactional_db):
    outage = _Outage()
    outage.begin()
    yield outage
    outage.end()


def _cookie_client(cls):
    client = cls(raise_request_exception=False)
    client.cookies["sessionid"] = "a-session-key-that-the-database-would-hold"
    return client


def test_a_page_answers_503_in_chinese_while_the_database_is_down(database_down):
    response = _cookie_client(Client).get("/enterprises/")
    assert response.status_code == 503
    assert "数据库暂时无法访问" in response.content.decode()
    assert response["Retry-After"] == "30"


def test_the_api_answers_503_json_while_the_database_is_down(database_down):
    response = _cookie_client(APIClient).get("/api/v1/enterprises/")
    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"


def test_healthz_answers_503_json_to_a_caller_with_a_session_cookie(database_down):
    response = _cookie_client(Client).get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("error")


def test_the_portal_serves_again_once_the_database_is_back(database_down):
    client = _cookie_client(Client)
    assert client.get("/accounts/login/").status_code == 503
    database_down.end()
    assert client.get("/healthz").json()["checks"]["database"] == "ok"
    assert client.get("/accounts/login/").status_code == 200
