from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("政企联系")

    def ready(self):
        from portal.choices import Role
        from portal.models.enterprises import ENTERPRISE_SCOPES

        from .models import cadre_enterprise_q
        from .views import appeals, outreach, pairings

        # A cadre sees the enterprises it is paired with (and its paired entrepreneurs'), read-only.
        ENTERPRISE_SCOPES[Role.CADRE] = lambda assignment, prefix: cadre_enterprise_q(assignment.user_id, prefix)
        for part in (pairings, appeals, outreach):
            part.register()
