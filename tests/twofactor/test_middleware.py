"""The gate after the password: which sessions it holds, what it still lets through, and where it sends
them (enrolment or the code page, with the address they were going to kept)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.choices import Role
from tests.factories import TEST_PASSWORD, user_with_role

from .conftest import code_for, enrol, signed_in

pytestmark = pytest.mark.django_db

REQUIRED = ["admin", "org_staff", "bank_officer", "bank2_officer", "insurer_officer"]
OPTIONAL = ["town_staff", "station", "enterprise_user", "cadre", "leader"]


def _target(response) -> tuple[str, dict]:
    location = urlsplit(response["Location"])
    return location.path, {k: v[0] for k, v in parse_qs(location.query).items()}


@pytest.mark.parametrize("who", REQUIRED)
def test_a_required_role_without_an_authenticator_is_sent_to_enrol(world, required, who):
    # given a user of a required role who has just typed the password
    client = signed_in(getattr(world, who))
    # when they open a page of the portal
    response = client.get(reverse("enterprise_list") + "?q=%E4%B8%9C%E6%B9%96")  # q=东湖, as a browser sends it
    # then they are sent to enrol, with the page they wanted kept
    assert response.status_code == 302
    path, query = _target(response)
    assert path == reverse("twofactor:setup")
    assert query == {"next": "/enterprises/?q=%E4%B8%9C%E6%B9%96"}


@pytest.mark.parametrize("who", REQUIRED)
def test_a_required_role_with_an_authenticator_is_sent_to_the_code_page(world, required, who):
    user = getattr(world, who)
    enrol(user)
    response = signed_in(user).get(reverse("home"))
    assert response.status_code == 302
    assert _target(response) == (reverse("twofactor:verify"), {"next": "/"})


@pytest.mark.parametrize("who", OPTIONAL)
def test_other_roles_sign_in_with_the_password_alone(world, required, who):
    response = signed_in(getattr(world, who)).get(reverse("home"))
    assert response.status_code == 200


def test_an_account_of_the_admin_site_is_held_whatever_its_role(world, required):
    # given a staff account with an optional role only
    user = world.cadre
    user.is_staff = True
    user.save()
    # then its session is held too
    assert signed_in(user).get(reverse("home")).status_code == 302


@pytest.mark.parametrize("who", OPTIONAL)
def test_a_user_who_turned_it_on_is_held_even_where_no_role_requires_it(world, who):
    # given the suite's settings (no role requires it) and a user who enrolled by choice
    user = getattr(world, who)
    enrol(user)
    response = signed_in(user).get(reverse("home"))
    assert response.status_code == 302
    assert _target(response)[0] == reverse("twofactor:verify")


def test_the_requirement_is_a_setting_per_role(world, required):
    # given the bank officers taken out of the required roles
    required.PORTAL_SECOND_FACTOR_ROLES = ["admin", "org_staff", "insurer_officer"]
    # then a bank officer signs in with the password alone, the insurer's officer does not
    assert signed_in(world.bank_officer).get(reverse("home")).status_code == 200
    assert signed_in(world.insurer_officer).get(reverse("home")).status_code == 302


def test_a_verified_session_reaches_the_portal(world, required):
    device = enrol(world.bank_officer)
    client = signed_in(world.bank_officer, device)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("twofactor:security")).status_code == 200


def test_the_admin_site_is_behind_the_second_factor(world, required):
    # given the administrator, staff of the admin site, after the password only
    admin = world.admin
    admin.is_staff = True
    admin.save()
    device = enrol(admin)
    client = signed_in(admin)
    # when the admin site is opened
    response = client.get("/admin/auth/user/")
    # then it sends to the code page, keeping the address
    assert _target(response) == (reverse("twofactor:verify"), {"next": "/admin/auth/user/"})
    # and once the code is given, the admin site opens
    client.post(reverse("twofactor:verify"), {"code": code_for(), "next": "/admin/"})
    assert client.session["otp_device_id"] == device.persistent_id
    assert client.get("/admin/").status_code == 200


def test_the_admin_site_signs_in_through_the_portal(db):
    # the admin site's own login page leads to the portal's, which is followed by the second factor
    response = Client().get("/admin/login/?next=/admin/auth/user/")
    assert response.status_code == 302
    assert _target(response) == (reverse("login"), {"next": "/admin/auth/user/"})
    assert Client().get("/admin/")["Location"].startswith("/admin/login/")


def test_the_api_under_session_authentication_answers_403_json(world, required):
    client = signed_in(world.org_staff)
    response = client.get("/api/v1/enterprises/")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "second_factor_required"


def test_a_download_is_held_like_a_page(world, required):
    client = signed_in(world.org_staff)
    response = client.get(reverse("enterprise_list") + "?export=csv")
    assert response.status_code == 302
    assert _target(response) == (reverse("twofactor:setup"), {"next": "/enterprises/?export=csv"})


def test_a_form_sent_before_the_second_factor_changes_nothing(world, required):
    # given an org staff member holding only the password, posting a form
    client = signed_in(world.org_staff)
    response = client.post(reverse("person_create"), {"name": "张三"})
    # then it is sent to enrol, and afterwards to the home page (a POST cannot be replayed)
    assert _target(response) == (reverse("twofactor:setup"), {"next": "/"})


@pytest.mark.parametrize("path", ["/healthz", "/static/portal/portal.css", "/favicon.ico", "/accounts/logout/",
                                  "/accounts/two-factor/setup/", "/notice/"])
def test_what_stays_reachable_before_the_second_factor(world, required, path):
    # (the static files and the favicon are answered by WhiteNoise or redirected to it: not the gate)
    response = signed_in(world.org_staff).get(path)
    assert not response.get("Location", "").startswith("/accounts/two-factor/")
    assert response.status_code in (200, 301, 404)
    assert path.startswith(("/static/", "/favicon")) or response.status_code == 200


def test_the_code_page_is_reachable_before_the_second_factor(world, required):
    enrol(world.org_staff)
    assert signed_in(world.org_staff).get(reverse("twofactor:verify")).status_code == 200


def test_logout_and_the_language_switch_work_before_the_second_factor(world, required):
    client = signed_in(world.org_staff)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/two-factor/setup/"})
    assert (response.status_code, response["Location"]) == (302, "/accounts/two-factor/setup/")
    assert client.get(reverse("twofactor:setup")).content.decode().count("Set up an authenticator app") >= 1
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_password_login_leads_on_to_the_code_page_with_next(world, required):
    # given an enrolled bank officer signing in with the password through the login form
    enrol(world.bank_officer)
    client = Client()
    response = client.post(reverse("login"), {"username": "t_bank", "password": TEST_PASSWORD,
                                              "next": "/enterprises/"}, follow=True)
    # then the code page is shown, with the address kept
    assert response.redirect_chain[-1][0] == f"{reverse('twofactor:verify')}?next=%2Fenterprises%2F"
    # and the right code leads there
    response = client.post(reverse("twofactor:verify"), {"code": code_for(), "next": "/enterprises/"})
    assert (response.status_code, response["Location"]) == (302, "/enterprises/")


def test_a_reset_takes_the_verification_of_a_running_session(world, required):
    # given a verified session of a bank officer
    device = enrol(world.bank_officer)
    client = signed_in(world.bank_officer, device)
    assert client.get(reverse("home")).status_code == 200
    # when the authenticator is removed (an administrator's reset)
    TOTPDevice.objects.filter(user=world.bank_officer).delete()
    # then the session must enrol again before anything else
    assert _target(client.get(reverse("home")))[0] == reverse("twofactor:setup")


def test_a_new_user_of_a_required_role_is_held_too(world, required):
    user = user_with_role("t_new_org", Role.ORG_STAFF)
    assert get_user_model().objects.filter(pk=user.pk).exists()
    assert signed_in(user).get(reverse("home")).status_code == 302
