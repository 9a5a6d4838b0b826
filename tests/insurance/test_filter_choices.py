"""The quote and policy lists' filters offer each role only the insurers and places it may see, and
a choice outside them is refused (tried by crossing the boundary)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
BOTH = ["全部", "人保财险", "平安财险"]
EVERY_PLACE = ["全部", "星湖市", "东湖镇", "西山街道"]


def options(body: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def page(client, user, name, **params) -> str:
    client.force_login(user)
    return client.get(reverse(name), params).content.decode()


@pytest.mark.parametrize(("who", "insurers", "regions"), [
    ("insurer_officer", ["全部", "人保财险"], EVERY_PLACE),
    ("insurer2_officer", ["全部", "平安财险"], EVERY_PLACE),
    ("station", BOTH, ["全部", "东湖镇", "东湖村"]),
    ("town_staff_b", BOTH, ["全部", "西山街道", "西山社区"]),
    ("org_staff", BOTH, EVERY_PLACE),
])
def test_the_filters_offer_each_role_its_own_insurers_and_places(client, iworld, who, insurers, regions):
    user = getattr(iworld, who)
    assert options(page(client, user, "insurance:quote_list"), "insurer") == insurers
    body = page(client, user, "insurance:policy_list")
    assert options(body, "insurer") == insurers
    assert options(body, "region") == regions


def test_an_insurer_cannot_filter_by_another_insurer(client, iworld):
    body = page(client, iworld.insurer_officer, "insurance:quote_list", insurer=iworld.insurer2.pk)
    assert "选择一个有效的选项" in body
    assert iworld.quote_a.number not in body
    body = page(client, iworld.insurer_officer, "insurance:policy_list", insurer=iworld.insurer2.pk)
    assert "选择一个有效的选项" in body
    assert iworld.policy_a.policy_number not in body
    assert iworld.quote_a.number in page(client, iworld.insurer_officer, "insurance:quote_list",
                                         insurer=iworld.insurer.pk)


def test_products_are_everyones_to_read_so_their_filter_lists_every_insurer(client, iworld):
    assert options(page(client, iworld.insurer_officer, "insurance:product_list"), "insurer") == BOTH
