"""The whole portal in English: every page every role can reach, walked from its home page with the
language cookie set to English, shows no Chinese except the data (names, addresses, notes: whatever
is stored in the database stays as entered). What a page shows and which of it is data is decided in
tests/english_text.py; the catalogue checks that cover the pages the walk does not reach (every marked
string has its English, every label comes out in English) are in tests/test_english_catalogue.py.

One demo world, seeded once for the module (a small run of `seed_demo`: every app has rows in every
state), is walked by each demo account. A page's text is what a person sees or hears: text nodes,
the title/placeholder/aria-label/alt attributes, button captions, data- attributes and json_script
blocks (the texts the scripts show). The stored texts are cut out of it; any Chinese left is a
string someone forgot to translate, reported with the role, the URL and the text around it.

The walk follows links only (GET), one page per URL pattern and variant (a list, a detail page of
each kind, each tab, each queue), never logging out, switching language, exporting or downloading.
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from functools import cache
from io import StringIO
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from .english_text import (
    Offence,
    StoredTexts,
    VisibleText,
    json_strings,
    offences_in,
)

pytestmark = pytest.mark.django_db

DEMO_ENTERPRISES = 150
ROLES = ("anonymous", "orgstaff", "townstaff", "station", "bank", "insurer", "enterprise", "cadre", "leader",
         "admin")
MAX_PAGES_PER_ROLE = 150
# The same route with other query parameters (a filter, a queue, a sort) is walked this many times.
VARIANTS_PER_ROUTE = 2

# Links that change the session, fetch a file or leave the HTML pages.
SKIPPED_URL_NAMES = {
    "logout", "set_language", "healthz", "import_template", "import_errors", "evidence_download",
    "appeal_attachment", "download", "person_unmask", "lawyer_unmask", "api_schema", "api_docs",
}
SKIPPED_QUERY = {"export", "download", "format"}
NO_SUCH_PAGE = "/no-such-page/"
# Forms not submitted wrongly on purpose: they start long jobs (a report, a certificate batch, an
# import), end the session, or confirm a deletion (the admin's asks no more than a click).
SKIPPED_FORMS = re.compile(r"/(reports/request|imports/upload|certificates|logout|i18n)/|/delete/$")


# --- the walk ------------------------------------------------------------------------------------------

@dataclass
class Walk:
    role: str
    pages: list[str] = field(default_factory=list)
    offences: list[Offence] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    forms: dict[str, tuple[str, dict]] = field(default_factory=dict)  # route → (action URL, data)
    variants: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    seconds: float = 0.0


def english_client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


@cache
def page_key(path: str, query: str):
    """Which kind of page a URL shows: its route, its non-numeric arguments (a tab, a queue, an
    action) and the names of its query parameters. Two enterprises' detail pages are one kind."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.url_name in SKIPPED_URL_NAMES:
        return None
    keys = {k for k, _v in parse_qsl(query, keep_blank_values=True)}
    if keys & SKIPPED_QUERY:
        return None
    route = f"{match.namespace}:{match.route}"
    arguments = tuple(sorted((k, v) for k, v in match.kwargs.items() if not str(v).isdigit()))
    return route, arguments, frozenset(keys - {"page"})


def walk(role: str, user, data: StoredTexts, *, searches: tuple[str, ...] = ()) -> Walk:
    started = time.monotonic()
    client = english_client(user)
    result = Walk(role)
    seen: set = set()
    start = ["/"] if user is not None else ["/", reverse("public:notice"), reverse("verify_form"), reverse("login")]
    # A mistyped address and a certificate code that does not exist: the portal's own 404 and refusal.
    queue = deque([*start, NO_SUCH_PAGE, reverse("verify", args=["NOSUCHCODE00"]), *searches])
    queued = set(queue)

    def follow(link: str) -> None:
        if link not in queued:  # the menu's links are on every page
            queued.add(link)
            queue.append(link)

    while queue and len(result.pages) < MAX_PAGES_PER_ROLE:
        url = queue.popleft()
        parts = urlsplit(url)
        key = ("404", (), frozenset()) if url == NO_SUCH_PAGE else page_key(parts.path, parts.query)
        if key is None or key in seen:
            continue
        route = key[0]
        if len(result.variants[route]) >= VARIANTS_PER_ROUTE:
            continue
        seen.add(key)
        result.variants[route].add(key)
        response = client.get(url)
        result.pages.append(url)
        if response.status_code >= 500:
            result.errors.append(f"{role} {url}: {response.status_code}")
            continue
        if response.status_code in (301, 302, 303, 307, 308):
            target = urljoin(url, response["Location"])
            if urlsplit(target).netloc in ("", "testserver"):
                follow(urlsplit(target)._replace(scheme="", netloc="").geturl())
            continue
        content_type = response.get("Content-Type", "")
        if response.get("Content-Language") not in (None, "en"):
            result.errors.append(f"{role} {url}: Content-Language {response['Content-Language']}")
        if "json" in content_type:
            pieces = json_strings(json.loads(response.content or b"null"))
        elif "html" in content_type:
            parser = VisibleText()
            parser.feed(response.content.decode())
            pieces = parser.pieces
            for action, form in parser.forms:
                target = urlsplit(urljoin(url, action or url))
                form_key = page_key(target.path, "")
                if form_key and target.netloc in ("", "testserver") and not SKIPPED_FORMS.search(target.path):
                    result.forms.setdefault(form_key[0], (target._replace(scheme="", netloc="").geturl(), form))
            for href in parser.links:
                target = urlsplit(urljoin(url, href))
                if target.scheme in ("", "http") and target.netloc in ("", "testserver"):
                    follow(target._replace(scheme="", netloc="", fragment="").geturl())
        else:
            continue
        result.offences.extend(offences_in(pieces, data.for_page(url), role=role, url=url))
    result.seconds = time.monotonic() - started
    return result


def report_of(walks: list[Walk]) -> str:
    """Each untranslated string once, with the first page and role it was seen on and how often."""
    by_text: dict[str, list[Offence]] = defaultdict(list)
    for w in walks:
        for offence in w.offences:
            by_text[offence.chinese].append(offence)
    lines = []
    for chinese, offences in sorted(by_text.items(), key=lambda item: (item[1][0].url, item[0])):
        first = offences[0]
        roles = sorted({o.role for o in offences})
        lines.append(f"  {chinese!r} on {first.url} ({', '.join(roles)}; {len(offences)}x): …{first.context}…")
    return "\n".join(lines)


# --- the world -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """A small demo city, seeded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", enterprises=DEMO_ENTERPRISES, stdout=StringIO())
        users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
        yield users, StoredTexts.from_database()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def walks(demo, django_db_blocker):
    users, data = demo
    with django_db_blocker.unblock():
        # Pages that answer a search rather than a link (the eligibility answer for a rated enterprise),
        # and pages no link leads to today (the password change, a new person, the talent progress).
        uscc = users["enterprise"].role_assignments.get().enterprise.uscc
        searches = (f"{reverse('finance:lookup')}?q={uscc}", reverse("password_change"), reverse("person_create"),
                    reverse("talent:progress"))
        return [walk(role, users.get(role), data, searches=searches if role != "anonymous" else ())
                for role in ROLES]


def test_every_role_reaches_its_pages(walks):
    counts = {w.role: len(w.pages) for w in walks}
    # A walk that stopped early would pass for want of pages. The floors are about two thirds of what
    # each role reached when this test was written (menus grow; a broken link or menu shrinks them).
    floors = {"anonymous": 5, "orgstaff": 80, "townstaff": 55, "station": 45, "bank": 9, "insurer": 10,
              "enterprise": 40, "cadre": 24, "leader": 50, "admin": 25}
    assert {role: count for role, count in counts.items() if count < floors[role]} == {}, counts
    assert [e for w in walks for e in w.errors] == []


def english_errors(client, url: str, data: dict) -> tuple[int, list[str], bool]:
    response = client.post(url, data)
    parser = VisibleText()
    parser.feed(response.content.decode())
    shown = b"invalid-feedback" in response.content or b"alert-danger" in response.content or b"errorlist" in response.content
    return response.status_code, parser.pieces, shown


def test_a_form_filled_in_wrongly_answers_in_english(demo, walks):
    """Every POST form the walk met, submitted by its role with "x" in each box and nothing chosen:
    the messages at the fields (required, not a date, not an amount, not a code) are English too."""
    users, data = demo
    found, refused, submitted = [], 0, 0
    for w in walks:
        client = english_client(users.get(w.role))
        for _route, (url, form) in sorted(w.forms.items()):
            status, pieces, shown = english_errors(client, url, form)
            submitted += 1
            refused += shown
            found += offences_in(pieces, data.for_page(url), role=w.role, url=f"POST {url}")
            assert status < 500, (w.role, url, status)
    assert not found, "Chinese outside the data after a wrong submission:\n" + report_of([Walk("forms", offences=found)])
    # The check above is empty unless the forms really answered with messages.
    assert submitted >= 40, submitted
    assert refused >= 30, (submitted, refused)


def test_the_login_page_refuses_in_english(demo):
    _users, data = demo
    status, pieces, shown = english_errors(english_client(), reverse("login"),
                                           {"username": "orgstaff", "password": "not-the-password"})
    assert (status, shown) == (200, True)
    assert offences_in(pieces, data, role="anonymous", url="login") == []


def api_get(client, url, language="en"):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


def api_post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


def test_the_api_answers_in_english_to_a_client_asking_for_it(demo):
    users, data = demo
    from finance.selectors import loan_application_list

    anonymous, station, bank = Client(), Client(), Client()
    station.force_login(users["station"])
    bank.force_login(users["bank"])
    application = loan_application_list(user=users["bank"]).order_by("pk").first()
    answers = {
        "anonymous": api_get(anonymous, "/api/v1/enterprises/"),
        "not found": api_get(bank, "/api/v1/loan-applications/999999999/"),
        "empty": api_post(station, "/api/v1/loan-applications/", {}),
        "bad code": api_post(station, "/api/v1/loan-applications/", {
            "enterprise": "91510799MA00000000", "bank": 1, "product": 1, "amount": "x", "purpose": "x"}),
        "bad amount": api_post(bank, f"/api/v1/loan-applications/{application.pk}/approve/", {"amount": "x"}),
        "bad step": api_post(bank, f"/api/v1/loan-applications/{application.pk}/reject/", {"reason": "x"}),
        "bad uscc": api_get(bank, "/api/v1/eligibility/123/"),
    }
    assert {name: r.status_code for name, r in answers.items()} == {
        "anonymous": 401, "not found": 404, "empty": 400, "bad code": 400, "bad amount": 400, "bad step": 400,
        "bad uscc": 400}
    assert {r["Content-Language"] for r in answers.values()} == {"en"}
    found = [o for name, r in answers.items() for o in offences_in(json_strings(r.json()), data, role=name,
                                                                    url=r.request["PATH_INFO"])]
    assert not found, report_of([Walk("api", offences=found)])
    # Without the header, or with a language the portal does not have, the API stays Chinese.
    assert "身份认证信息未提供" in api_get(anonymous, "/api/v1/enterprises/", "fr").json()["detail"]


def test_no_page_of_any_role_shows_untranslated_chinese(walks):
    found = report_of(walks)
    pages = {w.role: len(w.pages) for w in walks}
    assert not found, f"Chinese outside the data on English pages (pages walked per role: {pages}):\n{found}"



# --- the documents -------------------------------------------------------------------------------------

def test_the_documents_asked_in_english_carry_no_chinese_but_their_data(demo):
    """The rating certificate, the credit-enhancement certificate and the work report asked from an
    English page, read back from the PDF; and the pages that show them and verify them."""
    from django.core.files.storage import default_storage
    from django.utils import timezone
    from pypdf import PdfReader

    from ratings.choices import RatingStatus
    from ratings.models import Rating
    from reports import services
    from reports.choices import ReportKind, ReportState

    users, data = demo
    enterprise = users["enterprise"].role_assignments.get().enterprise
    today = timezone.localdate()
    rating = Rating.objects.filter(status=RatingStatus.PUBLISHED, valid_from__lte=today,
                                   valid_to__gte=today).order_by("pk").first()
    asked = [(ReportKind.RATING_CERTIFICATE, {"rating": rating.pk}, users["orgstaff"]),
             (ReportKind.CREDIT_CERTIFICATE, {"enterprise": enterprise.pk}, users["enterprise"]),
             (ReportKind.WORK_REPORT, {"as_of": today.isoformat()}, users["leader"])]
    # PDF text breaks lines inside a name: compare without any blank.
    compact_data = StoredTexts({"".join(v.split()) for v in data.values})
    found = []
    for kind, params, user in asked:
        with translation.override("en"):
            report = services.report_request(kind=kind, params=params, acting_user=user)
        assert services.report_generate(report_id=report.pk) == ReportState.DONE
        report.refresh_from_db()
        reader = PdfReader(default_storage.open(report.file.name))
        text = "".join("".join(page.extract_text().split()) for page in reader.pages)
        found += offences_in([text], compact_data, role=user.username, url=f"{kind}.pdf")
        client = english_client(user)
        pages = [reverse("reports:detail", args=[report.pk])]
        certificate = getattr(report, "certificate", None)
        if certificate is not None:
            pages.append(reverse("verify", args=[certificate.code]))
        for url in pages:
            parser = VisibleText()
            parser.feed(client.get(url).content.decode())
            found += offences_in(parser.pieces, data, role=user.username, url=url)
    assert not found, "Chinese outside the data in English documents:\n" + report_of([Walk("documents",
                                                                                          offences=found)])
