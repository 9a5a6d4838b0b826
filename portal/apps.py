from django.apps import AppConfig, apps
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _relationship_name(template: str, names: dict) -> str:
    return gettext(template) % names


relationship_name = lazy(_relationship_name, str)


def translate_relationship_names() -> None:
    """Django names the table behind a many-to-many field ("user-permission relationship") when the
    model class is built, in the language of that moment: Chinese here, so the English admin's delete
    page listed "User-permission关系". Name them again lazily, in the language of each request."""
    for model in apps.get_models(include_auto_created=True):
        owner = model._meta.auto_created
        if not owner:
            continue
        for field in owner._meta.local_many_to_many:
            if field.remote_field.through is not model:
                continue
            to, from_ = field.remote_field.model._meta.model_name, owner._meta.model_name
            if to == from_:
                to, from_ = f"to_{to}", f"from_{from_}"
            names = {"from": from_, "to": to}
            model._meta.verbose_name = relationship_name("%(from)s-%(to)s relationship", names)
            model._meta.verbose_name_plural = relationship_name("%(from)s-%(to)s relationships", names)


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("登记与权限")

    def ready(self):
        translate_relationship_names()
