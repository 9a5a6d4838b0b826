"""The liaison app's pages, one module per part, so that each part keeps its own routes."""

from .urls_appeals import urlpatterns as appeal_urls
from .urls_outreach import urlpatterns as outreach_urls
from .urls_pairings import urlpatterns as pairing_urls

app_name = "liaison"
urlpatterns = [*pairing_urls, *appeal_urls, *outreach_urls]
