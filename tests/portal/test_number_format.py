"""Money and counts are grouped by thousands on Chinese pages too (Django's Chinese formats group
nothing): the registry's registered capital on the enterprise list and page, and the humanize filters."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_numbers_are_grouped_by_thousands_in_both_languages(lang):
    template = Template('{% load humanize %}{{ n|intcomma }} {{ money|floatformat:"2g" }} {{ year }}')
    with translation.override(lang):
        text = template.render(Context({"n": 1234567, "money": Decimal("12345678.5"), "year": 2026}))
    assert text == "1,234,567 12,345,678.50 2026"


def test_the_registered_capital_carries_thousands_separators_on_the_list_and_the_page(world, client):
    enterprise = EnterpriseFactory(name="星湖千万资本有限公司", region=world.village_a,
                                   registered_capital=Decimal("12345678.90"), employees=1234)
    client.force_login(world.org_staff)
    listing = client.get(reverse("enterprise_list"), {"q": "千万资本"}).content.decode()
    assert "12,345,678.90" in listing
    assert "1,234" in listing
    page = client.get(reverse("enterprise_detail", args=[enterprise.pk])).content.decode()
    assert "¥12,345,678.90" in page
