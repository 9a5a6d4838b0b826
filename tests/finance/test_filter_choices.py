"""The loan application list's filters offer each role only the banks and places it may see, and a
choice outside them is refused (tried by crossing the boundary)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def options(body: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def page(client, user, **params) -> str:
    client.force_login(user)
    return client.get(reverse("finance:application_list"), params).content.decode()


@pytest.mark.parametrize(("who", "banks", "regions"), [
    ("bank_officer", ["全部", "农商银行"], ["全部", "星湖市", "东湖镇", "西山街道"]),
    ("bank2_officer", ["全部", "建设银行"], ["全部", "星湖市", "东湖镇", "西山街道"]),
    ("station", ["全部", "农商银行", "建设银行"], ["全部", "东湖镇"]),
    ("station_b_user", ["全部", "农商银行", "建设银行"], ["全部", "西山街道"]),
    ("park_station_user", ["全部", "农商银行", "建设银行"], ["全部", "星湖市"]),
    ("town_staff", ["全部", "农商银行", "建设银行"], ["全部", "东湖镇"]),
    ("enterprise_user", ["全部", "农商银行", "建设银行"], ["全部"]),
    ("org_staff", ["全部", "农商银行", "建设银行"], ["全部", "星湖市", "东湖镇", "西山街道"]),
    ("leader", ["全部", "农商银行", "建设银行"], ["全部", "星湖市", "东湖镇", "西山街道"]),
])
def test_the_filters_offer_each_role_its_own_banks_and_places(client, fworld, who, banks, regions):
    body = page(client, getattr(fworld, who))
    assert options(body, "bank") == banks
    assert options(body, "region") == regions


def test_a_bank_cannot_filter_by_another_bank(client, fworld):
    body = page(client, fworld.bank_officer, bank=fworld.bank2.pk)
    assert "选择一个有效的选项" in body
    assert f"#{fworld.app_a.pk}<" not in body
    assert f"#{fworld.app_a.pk}<" in page(client, fworld.bank_officer, bank=fworld.bank.pk)


def test_a_station_cannot_filter_by_a_town_outside_its_area(client, fworld):
    body = page(client, fworld.station, region=fworld.town_b.pk)
    assert "选择一个有效的选项" in body
    assert f"#{fworld.app_a.pk}<" not in body
    assert f"#{fworld.app_a.pk}<" in page(client, fworld.station, region=fworld.town_a.pk)
