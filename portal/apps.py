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


def name_users_in_chinese_order() -> None:
    """Django writes a user's full name given name first with a space ("海涛 黄") and greets by the
    given name alone; the portal's people are named family name first, no space (黄海涛). Every place
    that asks the user model for a name (the admin's greeting, exports, lists) gets that."""
    from django.contrib.auth import get_user_model

    from .accounts import display_name

    user_model = get_user_model()
    user_model.get_full_name = display_name
    user_model.get_short_name = display_name


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("登记与权限")

    def ready(self):
        translate_relationship_names()
        name_users_in_chinese_order()
