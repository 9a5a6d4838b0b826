"""The counters of the home page's cards. A counter is a number and the list it leads to; both come from
one place here, so that they cannot disagree: the count is the length of the very list the link opens,
the list view's own selector narrowed by the list's own FilterSet with the link's query.

A card's context function (registered in `portal.views.registry.HOME_CARDS`) builds its counters with
`list_counter` and its template shows them with `includes/home_counter.html`."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse


@dataclass(frozen=True)
class Counter:
    label: str
    url: str
    count: int
    tone: str = "danger"  # the badge's colour; the label says what it counts, never the colour alone

    @property
    def icon(self) -> str:
        return {"danger": "exclamation-circle", "warning": "hourglass-split"}.get(self.tone, "")


def filtered(queryset, filterset_class, params: dict | None, request=None):
    """The rows the list page shows for this query: its FilterSet applied as the list view applies it."""
    if filterset_class is None or not params:
        return queryset
    filterset = filterset_class(params, queryset=queryset, request=request)
    if not filterset.is_valid():
        return queryset.none()
    return filterset.qs


def list_counter(request, *, label, url_name: str, queryset, filterset_class=None, params: dict | None = None,
                 args=None, tone: str = "danger", anchor: str = "") -> Counter:
    """A counter of the list at `url_name` (with `params` as its query): `queryset` is what the list
    view reads for this user (its selector), `filterset_class` the list's FilterSet."""
    params = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    url = reverse(url_name, args=args)
    if params:
        url += "?" + urlencode(params)
    count = filtered(queryset, filterset_class, params, request).count()
    return Counter(str(label), url + anchor, count, tone)
