"""Signing in as a browser does: through the login form, from an address, with a User-Agent."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD

CHROME_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/131.0.0.0 Safari/537.36")
SAFARI_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Version/17.5 Mobile/15E148 Safari/604.1")
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def browser(user_agent: str = CHROME_WINDOWS, ip: str = "10.1.2.3") -> Client:
    return Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)


def sign_in(user, user_agent: str = CHROME_WINDOWS, ip: str = "10.1.2.3", password: str = TEST_PASSWORD) -> Client:
    client = browser(user_agent, ip)
    response = client.post(reverse("login"), {"username": user.get_username(), "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def signed_in(client: Client) -> bool:
    """Whether the client's next request is served as signed in (a page answers, no login redirect)."""
    response = client.get(reverse("logins:list"))
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login")), response["Location"]
        return False
    assert response.status_code == 200
    return True
