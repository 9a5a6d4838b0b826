"""What every form shows after a refused submission: a summary of its errors at the top, each linked to
its field, and fields marked invalid (Django itself adds aria-invalid and aria-describedby pointing at
`<id>_error`, which templates/includes/form_fields.html gives the field's messages)."""

from django import forms, template
from django.utils.translation import gettext as _

register = template.Library()


def summary_items(form) -> list[dict]:
    """The errors of a bound form in page order: those of the form as a whole first (with those of its
    hidden fields, which the person cannot reach), then each visible field's, linked to the field."""
    if form is None or not getattr(form, "is_bound", False) or not form.errors:
        return []
    items = [{"text": str(e), "href": ""} for e in form.non_field_errors()]
    for field in form.hidden_fields():
        items += [{"text": str(e), "href": ""} for e in field.errors]
    for field in form.visible_fields():
        target = field.id_for_label or field.auto_id
        for error in field.errors:
            items.append({"text": str(error), "label": str(field.label or field.name),
                          "href": f"#{target}" if target else ""})
    return items


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms):
    """`{% error_summary form %}` (or several forms of one submission) at the top of a form."""
    items = [item for form in forms for item in summary_items(form)]
    return {"items": items, "heading": _("请修正以下 %(n)d 处错误") % {"n": len(items)}}


@register.filter
def invalid_widget(field):
    """The field's widget, with Bootstrap's is-invalid class when it has errors (Django adds the aria)."""
    if not field.errors:
        return field.as_widget()
    css = f'{field.field.widget.attrs.get("class", "")} is-invalid'.strip()
    return field.as_widget(attrs={"class": css})


BLANK_LABEL = "---------"


def offer_all(field) -> None:
    """A filter's empty choice reads 全部 (All), not Django's "---------"."""
    if getattr(field, "empty_label", None) is not None and str(field.empty_label) == BLANK_LABEL:
        field.empty_label = _("全部")
        wrapped = getattr(field, "_choices", None)
        if hasattr(field, "iterator") and hasattr(wrapped, "choices"):
            # django-filter's ChoiceField: its widget still holds the iterator of the declared field
            # (a form copies its widget's choices shallowly); give it this field's again.
            field.choices = wrapped.choices
    _reword_blank_choice(field, _("全部"))


def offer_choice_prompt(field) -> None:
    """An input form's empty choice asks to choose (请选择) when the field is required, and reads
    （无） when it may stay empty, instead of Django's "---------"."""
    label = _("请选择") if field.required else _("（无）")
    if getattr(field, "empty_label", None) is not None and str(field.empty_label) == BLANK_LABEL:
        field.empty_label = label
    _reword_blank_choice(field, label)


@register.filter
def form_widget(field):
    """An input form's widget: its empty choice worded (see offer_choice_prompt), marked when in error."""
    offer_choice_prompt(field.field)
    return invalid_widget(field)


def _reword_blank_choice(field, label) -> None:
    """A plain choice field's blank choice (a model field's choices come as a lazy iterator)."""
    if not isinstance(field, forms.ChoiceField) or isinstance(field, forms.ModelChoiceField) \
            or hasattr(field, "iterator"):
        return
    choices = list(field.choices)
    if choices and choices[0][0] in ("", None) and str(choices[0][1]) == BLANK_LABEL:
        field.choices = [("", label), *choices[1:]]


@register.filter
def filter_widget(field):
    """A filter's widget: its empty choice offered as 全部, marked invalid when its value is refused."""
    offer_all(field.field)
    return invalid_widget(field)
