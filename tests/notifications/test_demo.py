"""The demo city's notifications: the people who take part in the cases have heard of their steps,
some read and the newest unread, with no personal number and every link opening for its reader."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from notifications import rules
from notifications.models import Notification
from tests import demo_seed

pytestmark = pytest.mark.django_db

ACCOUNTS_THAT_TAKE_PART = ("orgstaff", "townstaff", "station", "bank", "enterprise")

seeded = demo_seed.seeded  # the demo data, seeded once for the module and flushed after it


def test_the_people_who_take_part_have_read_and_unread_notifications(seeded):
    for username in ACCOUNTS_THAT_TAKE_PART:
        user = get_user_model().objects.get(username=username)
        mine = Notification.objects.filter(recipient=user)
        assert mine.filter(read_at__isnull=True).exists(), username
        assert mine.filter(read_at__isnull=False).exists(), username
        assert mine.filter(read_at__isnull=True).count() <= 3


def test_no_personal_number_and_every_link_opens(seeded):
    rows = list(Notification.objects.select_related("recipient").order_by("pk"))
    assert rows
    for row in rows:
        assert not rules.has_personal_number(f"{row.title} {row.body} {row.url}"), row.pk
    client = Client()
    checked = set()
    for row in rows:
        if row.url and row.recipient.username in ACCOUNTS_THAT_TAKE_PART and (row.recipient_id, row.url) not in checked:
            checked.add((row.recipient_id, row.url))
            client.force_login(row.recipient)
            assert client.get(row.url).status_code == 200, (row.recipient.username, row.url)
    assert checked
