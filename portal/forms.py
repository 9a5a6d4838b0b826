from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Enterprise, Park, Person, Region
from .rules import check_id_number, check_mobile, check_uscc


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class EnterpriseForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "uscc", "name", "kind", "industry", "region", "park", "is_key", "employees", "registered_capital",
            "founded_on", "address", "legal_representative", "contact",
        ]
        widgets = {"founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.select_related("parent").order_by("code")
        self.fields["park"].queryset = Park.objects.all()
        people = Person.objects.restrict(user, "view") if user is not None else Person.objects.none()
        self.fields["legal_representative"].queryset = people
        self.fields["contact"].queryset = people
        self.fields["legal_representative"].widget = forms.NumberInput(attrs={"class": "form-control"})
        self.fields["contact"].widget = forms.NumberInput(attrs={"class": "form-control"})
        self.fields["legal_representative"].help_text = _("填写人员编号（人员列表中可查）")
        self.fields["contact"].help_text = _("填写人员编号（人员列表中可查）")

    def clean_uscc(self):
        result = check_uscc(self.cleaned_data.get("uscc"))
        if not result.ok:
            raise forms.ValidationError(result.error)
        return result.value

    def validate_unique(self):
        # Uniqueness is decided by the service, under its transaction, with a Chinese message.
        pass

    def save(self, commit=True):  # pragma: no cover - guarded: views call the services instead
        raise NotImplementedError("use portal.services.enterprise_create / enterprise_update")


class PersonForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "id_number", "mobile", "is_new_generation"]

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number")
        if not value:
            return None
        result = check_id_number(value)
        if not result.ok:
            raise forms.ValidationError(result.error)
        return result.value

    def clean_mobile(self):
        value = self.cleaned_data.get("mobile")
        if not value:
            return ""
        result = check_mobile(value)
        if not result.ok:
            raise forms.ValidationError(result.error)
        return result.value

    def validate_unique(self):
        pass

    def save(self, commit=True):  # pragma: no cover
        raise NotImplementedError("use portal.services.person_create / person_update")


class EnterpriseByCodeField(forms.CharField):
    """An enterprise named by its credit code (checked, check character included), among `queryset`
    or, by default, among those `user` may see. At province scale a drop-down of enterprises is no
    choice; the code is how people name one."""

    def __init__(self, *args, user=None, queryset=None, not_found=None, **kwargs):
        kwargs.setdefault("label", _("企业统一社会信用代码"))
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)
        self.user, self.queryset = user, queryset
        self.not_found = not_found or _("没有找到信用代码为 %(c)s 的企业。")
        self.widget.attrs["class"] = "form-control font-monospace"

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        result = check_uscc(value)
        if not result.ok:
            raise forms.ValidationError(result.error)
        candidates = self.queryset if self.queryset is not None else Enterprise.objects.restrict(self.user, "view")
        enterprise = candidates.filter(uscc=result.value).first()
        if enterprise is None:
            raise forms.ValidationError(self.not_found % {"c": result.value})
        return enterprise


class PersonByNumberField(forms.IntegerField):
    """A person named by the number shown in the people list, among `queryset` or those `user` sees."""

    def __init__(self, *args, user=None, queryset=None, **kwargs):
        kwargs.setdefault("help_text", _("填写人员编号（人员列表中可查）"))
        kwargs.setdefault("min_value", 1)
        super().__init__(*args, **kwargs)
        self.user, self.queryset = user, queryset

    def clean(self, value):
        number = super().clean(value)
        if number is None:
            return None
        candidates = self.queryset if self.queryset is not None else Person.objects.restrict(self.user, "view")
        person = candidates.filter(pk=number).first()
        if person is None:
            raise forms.ValidationError(_("没有编号为 %(n)s 的人员。") % {"n": number})
        return person
