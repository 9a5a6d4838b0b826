"""Personal data (ID numbers, mobiles, an objector's contact) never leaves the portal whole, except
through the audited unmask action of a role that holds the right.

The personal fields are found from the models themselves (by name and verbose name), so a new
field that holds a phone or an ID number is caught: it must be seeded here or named as not
personal. A small demo city is seeded once; known values are written into every personal field
(the key enterprise's legal representative, a lawyer, an objection with a typed-in contact), and
every stored value of those fields is looked for in everything each demo account can GET: its pages
(walked from its home page by following links), the CSV and XLSX export of every list it may open,
every API list and some of each list's detail records, the forms' search-as-you-type answers (typed
with the known person's name and whole ID number), and the certificates as PDF text. A GET is
never an unmasking, so no whole value may appear anywhere, for any role.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections import defaultdict, deque
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

pytestmark = pytest.mark.django_db

DEMO_ENTERPRISES = 120
ROLES = ("anonymous", "orgstaff", "townstaff", "station", "bank", "insurer", "enterprise", "cadre", "leader",
         "admin")
MAX_PAGES_PER_ROLE = 160
VARIANTS_PER_ROUTE = 1
API_DETAILS_PER_LIST = 3

# What makes a text field personal: its name or its label.
PERSONAL_NAME = re.compile(r"id_number|id_card|mobile|phone|contact|tel\b|telephone")
PERSONAL_LABEL = re.compile(r"身份证|手机|电话|联系方式")
# Fields whose name or label looks personal but which are not a person's number.
NOT_PERSONAL = {
    ("portal", "Branch", "phone"): "a bank branch's published office telephone",
    ("portal", "ServiceStation", "phone"): "a service station's published office telephone",
    ("liaison", "Visit", "kind"): "a choice (visit, telephone, meeting), not a number",
}
# The known values written into every personal field (besides the demo's own).
KNOWN = {
    ("portal", "Person", "id_number"): "11010519491231002X",
    ("portal", "Person", "mobile"): "13912345678",
    ("liaison", "Lawyer", "mobile"): "13787654321",
    ("ratings", "Objection", "contact"): "0838 621 9876",
}

# Links that log out, switch language or unmask (a POST anyway).
SKIPPED_URL_NAMES = {"logout", "set_language", "healthz", "person_unmask", "lawyer_unmask", "objection_unmask",
                     "api_schema", "api_docs"}


def personal_fields() -> set[tuple[str, str, str]]:
    found = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.get_internal_type() not in ("CharField", "TextField"):
                continue
            if PERSONAL_NAME.search(field.name) or PERSONAL_LABEL.search(str(field.verbose_name)):
                found.add((model._meta.app_label, model.__name__, field.name))
    return found


# --- finding a whole value in a text ----------------------------------------------------------------


DIGIT_RUN = re.compile(r"[0-9Xx]+")


class Needles:
    """Every stored personal value, looked for as a run of digits (an ID number inside a longer run of
    digits counts too) and, when typed with spaces or dashes, as typed."""

    def __init__(self, values: set[str]):
        self.digits = {re.sub(r"[^0-9Xx]", "", v).upper() for v in values}
        self.digits = {d for d in self.digits if len(d) >= 8}
        self.lengths = sorted({len(d) for d in self.digits})
        self.typed = {v for v in values if re.search(r"[^0-9Xx]", v) and len(v) >= 8}

    def found_in(self, text: str) -> list[str]:
        text = html.unescape(text)
        hits = [v for v in self.typed if v in text]
        for run in DIGIT_RUN.findall(text):
            if len(run) < self.lengths[0]:
                continue
            run = run.upper()
            for size in self.lengths:
                hits += [run[i:i + size] for i in range(len(run) - size + 1) if run[i:i + size] in self.digits]
        return sorted(set(hits))


def response_texts(response) -> list[str]:
    """The text a response carries: the page or JSON as it is, an XLSX's cells, a PDF's text, a ZIP's
    members."""
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return content_texts(content, response.get("Content-Type", ""))


def content_texts(content: bytes, content_type: str) -> list[str]:
    if content.startswith(b"%PDF"):
        from pypdf import PdfReader

        return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]
    if content.startswith(b"PK"):
        archive = zipfile.ZipFile(io.BytesIO(content))
        if "xl/workbook.xml" in archive.namelist():
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(content), read_only=True)
            return [" ".join("" if c is None else str(c) for c in row) for sheet in book for row in sheet.iter_rows(
                values_only=True)]
        return [t for name in archive.namelist() for t in content_texts(archive.read(name), "")]
    return [content.decode("utf-8", errors="replace")]


# --- the walk ----------------------------------------------------------------------------------------


class Walk:
    def __init__(self, role: str):
        self.role = role
        self.fetched: list[str] = []
        self.leaks: dict[str, list[str]] = defaultdict(list)  # value -> where
        self.errors: list[str] = []

    def check(self, needles: Needles, where: str, response, *, typed: str = "") -> None:
        """`typed`: what the person typed into a search, which a page may echo back (the 403 page's
        language form returns to the address asked): that is their own input, not a leak."""
        self.fetched.append(where)
        if response.status_code >= 500:
            self.errors.append(f"{where}: {response.status_code}")
        echoes = typed and "json" not in response.get("Content-Type", "")
        for text in response_texts(response):
            if echoes:
                text = text.replace(typed, "")
            for value in needles.found_in(text):
                self.leaks[value].append(where)


def _export_view(match) -> bool:
    from portal.views.base import ExportMixin

    view_class = getattr(match.func, "view_class", None)
    return view_class is not None and issubclass(view_class, ExportMixin)


def page_key(path: str, query: str):
    try:
        match = resolve(path)
    except Resolver404:
        return None, None
    if match.url_name in SKIPPED_URL_NAMES or match.namespace == "admin" and "logout" in path:
        return None, None
    keys = frozenset(k.split("=")[0] for k in query.split("&") if k) - {"page"}
    arguments = tuple(sorted((k, v) for k, v in match.kwargs.items() if not str(v).isdigit()))
    return (f"{match.namespace}:{match.route}", arguments, keys), match


def walk_pages(role: str, client: Client, needles: Needles, result: Walk) -> None:
    """Every page the role reaches by links, and the CSV and XLSX of every list among them."""
    start = ["/", reverse("public:notice"), reverse("verify_form")] if role == "anonymous" else ["/"]
    queue, seen, variants = deque(start), set(), defaultdict(int)
    while queue and len(result.fetched) < MAX_PAGES_PER_ROLE * 2:
        url = queue.popleft()
        parts = urlsplit(url)
        key, match = page_key(parts.path, parts.query)
        if key is None or key in seen or variants[key[0]] >= VARIANTS_PER_ROUTE:
            continue
        seen.add(key)
        variants[key[0]] += 1
        response = client.get(url)
        result.check(needles, url, response)
        if response.status_code in (301, 302, 303):
            target = urlsplit(urljoin(url, response["Location"]))
            if target.netloc in ("", "testserver"):
                queue.append(target._replace(scheme="", netloc="").geturl())
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        # A list's export has the page's columns whatever its filter: its first variant's will do.
        if _export_view(match) and "export" not in parts.query and variants[key[0]] == 1:
            for fmt in ("csv", "xlsx"):
                joined = f"{url}{'&' if parts.query else '?'}export={fmt}"
                result.check(needles, joined, client.get(joined))
        for href in re.findall(r'href="([^"#]+)', response.content.decode()):
            target = urlsplit(urljoin(url, html.unescape(href)))
            if target.scheme in ("", "http") and target.netloc in ("", "testserver"):
                queue.append(target._replace(scheme="", netloc="", fragment="").geturl())


def api_routes() -> tuple[list[str], dict[str, str]]:
    """The API's list routes, and the detail route beside each."""
    lists, details = [], {}

    def each(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from each(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name and namespace == "api:":
                yield p.name

    for name in each(get_resolver().url_patterns):
        if name.endswith("-list"):
            lists.append(name)
            details[name] = name[: -len("-list")] + "-detail"
    return sorted(lists), details


def search_routes() -> list[str]:
    """The search-as-you-type answers of the forms (JSON, not linked from any page)."""

    def each(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from each(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name and p.name.endswith("search") and not p.pattern.converters:
                yield f"{namespace}{p.name}"

    return sorted(each(get_resolver().url_patterns))


def walk_searches(client: Client, needles: Needles, result: Walk, queries: list[str]) -> None:
    for name in search_routes():
        for query in queries:
            url = f"{reverse(name)}?q={query}"
            result.check(needles, url, client.get(url, HTTP_ACCEPT="application/json"), typed=query)


def walk_api(client: Client, needles: Needles, result: Walk) -> None:
    lists, details = api_routes()
    for name in lists:
        url = reverse(f"api:{name}") + "?page_size=500"
        response = client.get(url, HTTP_ACCEPT="application/json")
        result.check(needles, url, response)
        if response.status_code != 200:
            continue
        body = response.json()
        rows = body.get("results", body) if isinstance(body, dict) else body
        for row in (rows or [])[:API_DETAILS_PER_LIST]:
            if not isinstance(row, dict) or "id" not in row:
                continue
            try:
                detail = reverse(f"api:{details[name]}", args=[row["id"]])
            except NoReverseMatch:
                continue
            result.check(needles, detail, client.get(detail, HTTP_ACCEPT="application/json"))
            if name == "enterprise-list" and row.get("uscc"):
                for extra in (reverse("api:eligibility", args=[row["uscc"]]),
                              reverse("api:enterprise-by-uscc", args=[row["uscc"]])):
                    result.check(needles, extra, client.get(extra, HTTP_ACCEPT="application/json"))


# --- the world ---------------------------------------------------------------------------------------


def write_known_values(users) -> None:
    """Known values into every personal field, on rows the roles do see, through the services where
    there is one (so their audit rows exist too): the key enterprise's legal representative (the
    enterprise account's own), a lawyer of the legal service centre, the objection under notice."""
    from liaison.models import Lawyer
    from liaison.services import outreach as liaison_services
    from portal import services as portal_services
    from portal.models import Person, RoleAssignment
    from ratings.models import Objection

    enterprise = RoleAssignment.objects.get(user=users["enterprise"]).enterprise
    person = enterprise.legal_representative or Person.objects.filter(enterprise_links__enterprise=enterprise).first()
    portal_services.person_update(acting_user=users["orgstaff"], person=person,
                                  id_number=KNOWN[("portal", "Person", "id_number")],
                                  mobile=KNOWN[("portal", "Person", "mobile")])
    lawyer = Lawyer.objects.order_by("pk").first()
    values = {f: getattr(lawyer, f) for f in ("name", "law_firm", "specialties", "resident_since", "resident_until",
                                              "is_active")}
    liaison_services.lawyer_update(acting_user=users["orgstaff"], lawyer=lawyer, **values,
                                   mobile=KNOWN[("liaison", "Lawyer", "mobile")])
    Objection.objects.filter(pk=Objection.objects.order_by("pk").values("pk")[:1]).update(
        contact=KNOWN[("ratings", "Objection", "contact")])


def searched_for(users) -> list[str]:
    """What a person picker is typed with: the known person's name, their whole ID number, and the
    name of their enterprise."""
    from portal.models import Person, RoleAssignment

    enterprise = RoleAssignment.objects.get(user=users["enterprise"]).enterprise
    person = Person.objects.get(id_number=KNOWN[("portal", "Person", "id_number")])
    return [person.name, person.id_number, enterprise.name[:6]]


def stored_values() -> tuple[set[str], dict]:
    values, counts = set(), {}
    for app_label, model_name, field in sorted(KNOWN):
        model = apps.get_model(app_label, model_name)
        column = set(model.objects.exclude(**{f"{field}__isnull": True}).exclude(**{field: ""})
                     .values_list(field, flat=True))
        counts[(app_label, model_name, field)] = len(column)
        values |= column
    return values, counts


def certificate_pdfs(users, needles: Needles, result: Walk) -> None:
    """A rating certificate and a credit-enhancement certificate, made for the enterprise account's
    own enterprise and read back as text through the download page."""
    from portal.models import RoleAssignment
    from ratings.models import Rating
    from reports import services as report_services
    from reports.choices import ReportKind

    enterprise = RoleAssignment.objects.get(user=users["enterprise"]).enterprise
    rating = (Rating.objects.filter(status="published", revoked_on__isnull=True).order_by("-cycle__year", "pk")
              .filter(organization__coverages__enterprise=enterprise).first()
              or Rating.objects.filter(status="published", revoked_on__isnull=True).order_by("-cycle__year").first())
    client = Client()
    client.force_login(users["orgstaff"])
    requests = [(ReportKind.RATING_CERTIFICATE, {"rating": rating.pk}),
                (ReportKind.CREDIT_CERTIFICATE, {"enterprise": rating.organization.coverages.first().enterprise_id})]
    for kind, params in requests:
        report = report_services.report_request(kind=kind, params=params, acting_user=users["orgstaff"])
        report_services.report_generate(report_id=report.pk)
        url = reverse("reports:download", args=[report.pk])
        response = client.get(url)
        assert response.status_code == 200, (kind, response.status_code)
        result.check(needles, f"{kind} {url}", response)


@pytest.fixture(scope="module")
def crawl(django_db_setup, django_db_blocker, tmp_path_factory):
    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media")))
    with media, django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", enterprises=DEMO_ENTERPRISES, stdout=StringIO())
        users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
        write_known_values(users)
        values, counts = stored_values()
        queries = searched_for(users)
        needles = Needles(values)
        walks = []
        with override_settings(PORTAL_EXPORT_SYNC_MAX_ROWS=10**6):
            for role in ROLES:
                result = Walk(role)
                client = Client(raise_request_exception=False)
                if role != "anonymous":
                    client.force_login(users[role])
                walk_pages(role, client, needles, result)
                if role != "anonymous":
                    walk_api(client, needles, result)
                    walk_searches(client, needles, result, queries)
                walks.append(result)
            pdfs = Walk("certificates")
            certificate_pdfs(users, needles, pdfs)
            walks.append(pdfs)
        yield {"walks": walks, "counts": counts, "needles": needles}
        transaction.set_rollback(True)


# --- the tests ---------------------------------------------------------------------------------------


def test_every_personal_field_of_every_model_is_seeded_or_named_as_not_personal():
    assert personal_fields() == set(KNOWN) | set(NOT_PERSONAL)


def test_the_needles_find_a_whole_number_and_not_a_masked_one():
    needles = Needles({"11010519491231002X", "13912345678", "0838 621 9876"})
    assert needles.found_in("身份证 11010519491231002x，电话 0838 621 9876") == ["0838 621 9876", "11010519491231002X"]
    assert needles.found_in('<td>110***********002X</td><td>139****5678</td><td>083* *** 9876</td>') == []
    assert needles.found_in("&#49;3912345678") == ["13912345678"]


def test_every_personal_field_holds_values_to_look_for(crawl):
    counts = crawl["counts"]
    assert all(n >= 1 for n in counts.values()), counts
    assert counts[("portal", "Person", "id_number")] >= 50


def test_every_role_walks_its_pages_exports_and_api(crawl):
    fetched = {w.role: len(w.fetched) for w in crawl["walks"]}
    assert all(n >= 20 for role, n in fetched.items() if role not in ("anonymous", "certificates")), fetched
    assert fetched["anonymous"] >= 3
    assert fetched["certificates"] == 2
    searches = {w.role: sum("?q=" in u for u in w.fetched) for w in crawl["walks"]}
    assert searches["orgstaff"] >= 3 * len(search_routes()) >= 6, searches
    exports = {w.role: sum("export=" in u for u in w.fetched) for w in crawl["walks"]}
    assert exports["orgstaff"] >= 40, exports
    assert not [e for w in crawl["walks"] for e in w.errors]


def test_no_role_gets_a_whole_personal_number_from_any_page_export_api_or_pdf(crawl):
    leaks = [f"  {w.role}: {value} on {', '.join(where[:3])}{' …' if len(where) > 3 else ''}"
             for w in crawl["walks"] for value, where in sorted(w.leaks.items())]
    assert not leaks, "whole personal numbers shown:\n" + "\n".join(leaks)

