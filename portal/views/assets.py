"""`/favicon.ico`: browsers ask for it at the root whatever a page links, and a PDF or a JSON answer
links nothing; answer with the portal's icon instead of a 404 in every log."""

from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def favicon(request):
    # Resolved per request: the manifest storage of production knows the hashed name only after
    # collectstatic, which runs after the URLconf is imported.
    return redirect(static("portal/favicon.ico"), permanent=True)
