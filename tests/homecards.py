"""Reading the home page's counters (templates/includes/home_counter.html) in tests."""

import re
from html import unescape

COUNTER = re.compile(r'<a [^>]*href="([^"]+)" data-counter>(?:<i [^>]*></i> )?(.*?) <span class="badge[^"]*" '
                     r'data-count="(\d+)"', re.S)


def counters(page: str) -> dict[str, int]:
    """{label: count} of the counters on a page (or a part of one)."""
    return {unescape(label): int(count) for _href, label, count in COUNTER.findall(page)}


def counter_links(page: str) -> list[tuple[str, str, int]]:
    """[(url, label, count)] of the counters on a page (or a part of one)."""
    return [(unescape(href), unescape(label), int(count)) for href, label, count in COUNTER.findall(page)]
