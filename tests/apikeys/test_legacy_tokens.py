"""DRF's legacy per-user tokens: they keep working until the cut-off date the system administrator
sets, every answer to one says so in Deprecation and Sunset headers, and from the cut-off on they
are refused with a word on what to use instead."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apikeys import services
from apikeys.models import LegacyTokenPolicy

pytestmark = pytest.mark.django_db


def token_client(world, user=None):
    token = Token.objects.create(user=user or world.bank_officer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_without_a_cut_off_a_token_works_and_is_marked_deprecated(world):
    response = token_client(world).get(reverse("api:institution-list"))
    assert response.status_code == 200
    policy = LegacyTokenPolicy.current()
    assert response["Deprecation"] == f"@{int(policy.deprecated_since.timestamp())}"
    assert "Sunset" not in response


def test_before_the_cut_off_a_token_works_and_the_answer_names_the_sunset(world):
    services.legacy_cutoff_set(acting_user=world.admin, cutoff=datetime.date(2099, 12, 31))
    response = token_client(world).get(reverse("api:institution-list"))
    assert response.status_code == 200
    # 2099-12-31 00:00 in Beijing is 2099-12-30 16:00 GMT
    assert response["Sunset"] == "Wed, 30 Dec 2099 16:00:00 GMT"
    assert response["Deprecation"].startswith("@")


def test_from_the_cut_off_a_token_gets_401_saying_to_use_an_api_key(world):
    today = timezone.localdate()
    services.legacy_cutoff_set(acting_user=world.admin, cutoff=today)
    response = token_client(world).get(reverse("api:institution-list"))
    assert response.status_code == 401
    detail = response.json()["detail"]
    assert f"旧式令牌已于 {today.isoformat()} 停用" in detail
    assert "Authorization: Api-Key" in detail
    assert "Sunset" in response


def test_the_cut_off_is_the_days_first_moment_in_beijing(world):
    policy = LegacyTokenPolicy.current()
    policy.cutoff = datetime.date(2027, 1, 1)
    at = policy.cutoff_at()
    assert at.isoformat() == "2027-01-01T00:00:00+08:00"
    assert not policy.refuses(at - datetime.timedelta(seconds=1))
    assert policy.refuses(at)


def test_a_token_is_not_limited_by_key_scopes(world):
    # a legacy token reaches what its user's role reaches, as before: the registry too
    assert token_client(world, world.town_staff).get(reverse("api:enterprise-list")).status_code == 200


def test_the_message_follows_the_callers_language(world):
    services.legacy_cutoff_set(acting_user=world.admin, cutoff=timezone.localdate())
    client = token_client(world)
    response = client.get(reverse("api:institution-list"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"].startswith("Legacy tokens were switched off on")


def test_only_the_system_administrator_sets_the_cut_off(world):
    from portal.errors import AccessDenied

    with pytest.raises(AccessDenied):
        services.legacy_cutoff_set(acting_user=world.bank_officer, cutoff=timezone.localdate())
    assert LegacyTokenPolicy.current().cutoff is None
