"""The rubric editor, a form written by hand, refuses like every form: a summary linking to each field in
error, the fields marked, what was typed kept."""

from django.urls import reverse


def test_a_refused_rubric_edit_links_to_its_fields_and_keeps_what_was_typed(client, rworld):
    # given the organization department editing a draft rubric with a maximum that is no number
    client.force_login(rworld.org_staff)
    url = reverse("ratings:rubric_detail", args=[rworld.draft.pk])
    response = client.post(url, {"min_5": "90", "min_4": "80", "min_3": "70", "min_2": "60",
                                 "max_points_A.1": "abc", "title_A.1": "书记配备（修订）", "notes_A.1": "缺一项扣 5 分"})
    page = response.content.decode()
    # then the summary links to the field, which is marked and keeps what was typed
    assert response.status_code == 400
    assert '<a class="alert-link" href="#max_points_A.1">得分“abc”不是数字。</a>' in page
    assert ('<input class="form-control form-control-sm text-end is-invalid w-6em" id="max_points_A.1" '
            'name="max_points_A.1" value="abc" aria-label="A.1 满分" '
            'aria-invalid="true" aria-describedby="max_points_A.1_error"') in page
    assert '<div id="max_points_A.1_error">' in page
    assert 'value="书记配备（修订）"' in page
    assert 'value="缺一项扣 5 分"' in page
    assert rworld.draft.items.get(code="A.1").title == "书记配备"
