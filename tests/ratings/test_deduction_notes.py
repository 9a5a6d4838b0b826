"""A deduction in a review step needs its 扣分说明: the pure rule, and the score sheet refusing at the note."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ratings import rules
from ratings.choices import RatingStatus as S
from ratings.models import ItemScore, Rating

ITEMS = [rules.ItemSpec("A.1", Decimal("50")), rules.ItemSpec("A.2", Decimal("30")),
         rules.ItemSpec("V1", Decimal("0"), is_veto=True)]


@pytest.mark.parametrize(("stage", "points", "notes", "expected"), [
    # full marks need no note, in any step
    ("town", {"A.1": "50", "A.2": "30"}, {}, {}),
    ("dept", {"A.1": "50.0", "A.2": "30"}, {}, {}),
    # a deduction in a review step needs its note
    ("town", {"A.1": "45", "A.2": "30"}, {}, {"A.1": "本项扣了 5 分，请写明扣分说明。"}),
    ("dept", {"A.1": "49.5", "A.2": "0"}, {"A.1": "  "},
     {"A.1": "本项扣了 0.5 分，请写明扣分说明。", "A.2": "本项扣了 30 分，请写明扣分说明。"}),
    ("town", {"A.1": "45", "A.2": "28"}, {"A.1": "书记培训记录不全", "A.2": "换届推迟"}, {}),
    # the organization's own self-assessment needs none
    ("self", {"A.1": "45", "A.2": "28"}, {}, {}),
    # points that are themselves wrong are the score sheet's to refuse, not this rule's
    ("town", {"A.1": "55", "A.2": "abc"}, {}, {}),
    ("town", {"A.1": "", "A.2": "30"}, {}, {}),
])
def test_missing_deduction_notes(stage, points, notes, expected):
    assert rules.missing_deduction_notes(stage, ITEMS, points, notes) == expected


def test_the_town_review_refuses_a_deduction_without_its_note_and_saves_nothing(client, rworld):
    # given the town reviewing a rating, the self scores (45, 28, 18) prefilled
    w = rworld
    client.force_login(w.town_staff)
    url = reverse("ratings:score", args=[w.rating_t.pk])
    before = ItemScore.objects.filter(rating=w.rating_t).count()
    # when it approves with the deductions of A.1 and B.1 explained but not that of A.2
    response = client.post(url, {"version": w.rating_t.version, "action": "approve", "comment": "",
                                 "points_A.1": "40", "points_A.2": "28", "points_B.1": "18",
                                 "note_A.1": "书记培训记录不全", "note_B.1": "公益活动偏少"})
    # then the step is refused at A.2's note, with the summary linking to it, and nothing is saved
    body = response.content.decode()
    assert response.status_code == 400
    assert '<div class="invalid-feedback d-block" data-field="note_A.2">本项扣了 2 分，请写明扣分说明。</div>' in body
    assert 'href="#id_note_A.2"' in body
    assert 'aria-describedby="id_note_A.2_error"' in body
    assert 'value="40"' in body  # what was typed stays
    assert ItemScore.objects.filter(rating=w.rating_t).count() == before
    assert Rating.objects.get(pk=w.rating_t.pk).status == S.TOWN
