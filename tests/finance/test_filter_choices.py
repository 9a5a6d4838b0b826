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


EVERY_TOWN = ["全部", "星湖市", "东湖镇", "西山街道"]


@pytest.mark.parametrize(("who", "banks", "regions"), [
    ("bank_officer", ["全部", "农商银行"], EVERY_TOWN),
    ("bank2_officer", ["全部", "建设银行"], EVERY_TOWN),
    ("station", ["全部", "农商银行", "建设银行"], ["全部", "东湖镇", "东湖村"]),
    ("station_b_user", ["全部", "农商银行", "建设银行"], ["全部", "西山街道", "西山社区"]),
    ("park_station_user", ["全部", "农商银行", "建设银行"], None),
    ("town_staff", ["全部", "农商银行", "建设银行"], ["全部", "东湖镇", "东湖村"]),
    ("enterprise_user", ["全部", "农商银行", "建设银行"], None),
    ("org_staff", ["全部", "农商银行", "建设银行"], EVERY_TOWN),
    ("leader", ["全部", "农商银行", "建设银行"], EVERY_TOWN),
])
def test_the_filters_offer_each_role_its_own_banks_and_places(client, fworld, who, banks, regions):
    body = page(client, getattr(fworld, who))
    assert options(body, "bank") == banks
    if regions is not None:  # the places: portal.filtersets.regions_for_filter, shared by every list
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
