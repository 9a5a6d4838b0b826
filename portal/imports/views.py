from django.views.generic import TemplateView

from ..access import IMPORT
from ..models import ImportBatch
from ..views.base import RoleRequiredMixin


class ImportListView(RoleRequiredMixin, TemplateView):
    """Placeholder until the import pages land."""

    model = ImportBatch
    required_action = IMPORT
    template_name = "portal/home.html"
