"""Fixtures of the API key tests: `kworld` is the finance world (app_a at bank, app_b at bank2)
with a key administrator at bank, bank2 and the insurer, a bank officer who is none, and one key
for each bank."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apikeys import services
from apikeys.models import KeyAdministrator
from apikeys.scopes import ELIGIBILITY_READ, FEEDBACK_REPORT, LOAN_APPLICATIONS
from portal.choices import Role
from tests.factories import user_with_role
from tests.finance.conftest import fworld, product, product2, quota_table, rated_a, rated_b  # noqa: F401
from tests.ratings.conftest import cycle, org_a, org_b, rubric  # noqa: F401

BANK_SCOPES = [ELIGIBILITY_READ, LOAN_APPLICATIONS, FEEDBACK_REPORT]


def make_key(w, institution, *, scopes=None, expires_on=None, networks="", rate_limit=None, by=None, name="信贷系统"):
    """A key made through the service, as the page makes it; returns (key, full key)."""
    return services.api_key_create(
        acting_user=by or w.admin, institution=institution, name=name, scopes=scopes or BANK_SCOPES,
        expires_on=expires_on or timezone.localdate() + datetime.timedelta(days=365), allowed_networks=networks,
        rate_limit=rate_limit)


def key_client(plain: str, **extra) -> APIClient:
    client = APIClient(**extra)
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {plain}")
    return client


@pytest.fixture
def kworld(fworld):  # noqa: F811
    w = fworld
    for user, institution in ((w.bank_officer, w.bank), (w.bank2_officer, w.bank2), (w.insurer_officer, w.insurer)):
        KeyAdministrator.objects.create(user=user, institution=institution)
    w.bank_plain_officer = user_with_role("t_bank_plain", Role.BANK_OFFICER, institution=w.bank)
    w.key_a, w.plain_a = make_key(w, w.bank, by=w.bank_officer, name="农商银行信贷系统")
    w.key_b, w.plain_b = make_key(w, w.bank2, by=w.bank2_officer, name="建设银行信贷系统")
    return w
