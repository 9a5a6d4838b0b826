"""The demo: `bank` administers its bank's keys and `insurer` its insurer's, and the demo
administrator may name key administrators and set the legacy tokens' cut-off in the admin site."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from apikeys.models import KeyAdministrator
from apikeys.selectors import managed_institutions

pytestmark = pytest.mark.django_db


def test_the_demo_names_the_key_administrators_and_lets_the_admin_manage_them():
    call_command("seed_demo", "--enterprises", "40", stdout=StringIO())
    users = get_user_model().objects
    bank, insurer, bank2, admin = (users.get(username=n) for n in ("bank", "insurer", "bank2", "admin"))
    assert sorted(KeyAdministrator.objects.values_list("user__username", "institution__kind")) == [
        ("bank", "bank"), ("insurer", "insurer")]
    assert [i.pk for i in managed_institutions(bank)] == [bank.role_assignments.get().institution_id]
    assert not managed_institutions(bank2).exists()
    assert admin.has_perm("apikeys.add_keyadministrator")
    assert admin.has_perm("apikeys.change_legacytokenpolicy")
    assert not admin.has_perm("apikeys.change_institutionapikey")
    client = Client()
    client.force_login(bank)
    assert client.get(reverse("apikeys:list")).status_code == 200
