"""Every list page of the project exports: each list view names its columns (so a new list cannot
forget them), each answers `?export=csv` and `?export=xlsx` for a user who may open it with the
headers of its columns and as many rows as the page counts, and — on the seeded demo, where every list
has rows — each export begins with the rows of the page's first page, in their order, for every role.

The content of particular exports (filters, masking, access) is tested in tests/portal/test_exports.py."""

import io

import pytest
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal import exports
from portal.models import Enterprise
from portal.views.base import ExportMixin, FilteredListView

from .test_exports import read_csv, read_xlsx

# --- every list of the project exports ---------------------------------------------------------------


def _list_urls():
    """(URL name, view class) of every routed list page that exports."""

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                yield from walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                view_class = getattr(p.callback, "view_class", None)
                if view_class is not None and issubclass(view_class, ExportMixin):
                    yield f"{namespace}{p.name}", view_class

    return sorted(walk(get_resolver().url_patterns), key=lambda item: item[0])


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


# A URL argument for the lists that take one.
LIST_KWARGS = {"ratings:queue": {"status": "town"}}
# Who tries each list: the first of them who may open its page exports it.
TRIERS = ("org_staff", "leader", "town_staff", "station", "bank_officer", "insurer_officer", "enterprise_user",
          "cadre", "admin")
LIST_URLS = _list_urls()


def test_every_filtered_list_of_the_project_names_its_export_columns():
    _list_urls()  # every URL module imported: every list view defined
    # An abstract base of an app's lists (talent's `_ListView`) is not a page of its own.
    views = sorted({cls for cls in _all_subclasses(FilteredListView) if not cls.__name__.startswith("_")},
                   key=lambda c: c.__qualname__)
    missing = [f"{c.__module__}.{c.__qualname__}" for c in views if not c.export_columns or not c.export_name]
    assert missing == []
    assert len(views) >= 30
    assert set(views) <= {cls for _name, cls in LIST_URLS}


# The rows a list page that is no FilteredListView shows: (how many in all, those of this page).
PAGE_ROWS = {
    "institution_list": lambda c: c["banks"] + c["insurers"],
    "import_list": lambda c: c["page_obj"],
    "ratings:cycle_list": lambda c: list(c["cycles"]),
    "ratings:rubric_list": lambda c: list(c["rubrics"]),
    "insurance:discount_table_list": lambda c: [r["table"] for r in c["rows"]],
    "talent:base_list": lambda c: [r["base"] for r in c["rows"]],
    "liaison:department_list": lambda c: list(c["departments"]),
}


def shown_rows(name, context) -> tuple[int, list]:
    if name in PAGE_ROWS:
        rows = PAGE_ROWS[name](context)
        if hasattr(rows, "paginator"):
            return rows.paginator.count, list(rows.object_list)
        return len(rows), rows
    return context["paginator"].count, list(context["object_list"])


def set_up_view(view_class, url, user, kwargs):
    """The list's view as it answers this user (its columns may depend on the user)."""
    request = RequestFactory().get(url)
    request.user = user
    view = view_class()
    view.setup(request, **(kwargs or {}))
    return view


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "view_class"), LIST_URLS, ids=[name for name, _cls in LIST_URLS])
def test_every_list_exports_for_a_user_who_sees_it(name, view_class, world, client):
    url = reverse(name, kwargs=LIST_KWARGS.get(name))
    for username in TRIERS:
        client.force_login(getattr(world, username))
        page = client.get(url)
        if page.status_code == 200:
            break
    else:
        pytest.fail(f"nobody of {TRIERS} may open {name}")
    assert page.context["export_links"][0]["url"] == "?export=xlsx"  # the page offers the buttons
    rows = read_csv(client.get(url + "?export=csv"))
    view = set_up_view(view_class, url, getattr(world, username), LIST_KWARGS.get(name))
    assert rows[0] == [str(header) for header, _accessor in view.get_export_columns()]
    assert len(rows) - 1 == shown_rows(name, page.context)[0]
    own_row = 1 if name == "audit_list" else 0  # the audit log now holds the CSV export's own row
    assert len(read_xlsx(client.get(url + "?export=xlsx"))) == len(rows) + own_row


@pytest.mark.django_db
def test_every_list_exports_the_rows_of_its_pages_with_the_demo_data(client):
    """The seeded demo (every list has rows): each list, as each demo role that may open it, exports as
    many rows as the page counts, the first page's rows first and in its order."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("seed_demo", "--enterprises", "300", stdout=io.StringIO())
    assert Enterprise.objects.count() >= 300
    tried = 0
    for username in ("orgstaff", "townstaff", "station", "bank", "insurer", "enterprise", "cadre", "leader"):
        user = get_user_model().objects.get(username=username)
        client.force_login(user)
        for name, view_class in LIST_URLS:
            url = reverse(name, kwargs=LIST_KWARGS.get(name))
            page = client.get(url)
            if page.status_code != 200:
                continue
            rows = read_csv(client.get(url + "?export=csv"))
            view = set_up_view(view_class, url, user, LIST_KWARGS.get(name))
            count, objects = shown_rows(name, page.context)
            first = view.get_export_columns()[0][1]
            shown = [exports._as_text(exports.plain(exports.column_value(obj, first)))
                     for obj in view.export_prepare_rows(objects)]
            assert (len(rows) - 1, [r[0] for r in rows[1:len(shown) + 1]]) == (count, shown), (username, name)
            tried += 1
    assert tried >= 100
