from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Enterprise, Park, Person, Region
from .rules import check_id_number, check_mobile, check_uscc, strip_invisible


def _strips_invisible(field) -> None:
    """Make a text field drop control, bidirectional and zero-width characters before anything else
    reads the value (its own stripping, `required`, `max_length`, the form's clean_<field>): a name
    of nothing but a zero-width space is then empty, and refused as such. A textarea keeps its line
    breaks. Passwords are left exactly as typed."""
    if (not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput)
            or getattr(field, "strips_invisible", False)):
        return
    multiline = isinstance(field.widget, forms.Textarea)
    to_python = field.to_python

    def cleaned(value):
        return to_python(strip_invisible(value, multiline=multiline) if isinstance(value, str) else value)

    field.to_python = cleaned
    field.strips_invisible = True


class CleanTextMixin:
    """Every text field of the form cleaned by `portal.rules.strip_invisible` (see `_strips_invisible`),
    including fields a subclass adds after __init__."""

    def _clean_fields(self):
        for field in self.fields.values():
            _strips_invisible(field)
        super()._clean_fields()


class BootstrapMixin(CleanTextMixin):
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


# The people an enterprise names, each chosen among those the user sees (searched by name or whole ID
# number) or entered inline as a new person: never by an internal record number.
PERSON_ROLES = (("legal_representative", _("法定代表人")), ("contact", _("联系人")))
NEW_PERSON_FIELDS = ("name", "id_number", "mobile")


def region_label(region) -> str:
    parent = region.parent
    return f"{parent.name} · {region.name}" if parent is not None and parent.parent_id is not None else region.name


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
        # Villages of the same name lie in different towns: each is named with its town.
        self.fields["region"].label_from_instance = region_label
        self.fields["park"].queryset = Park.objects.all()
        people = Person.objects.restrict(user, "view") if user is not None else Person.objects.none()
        self.new_people: dict[str, dict] = {}
        for role, label in PERSON_ROLES:
            chosen = self.fields[role]
            chosen.queryset = people
            chosen.widget = forms.HiddenInput(attrs={"data-person-id": ""})
            chosen.error_messages["invalid_choice"] = _("所选人员不存在或您无权查看，请重新搜索选择。")
            self.fields[f"{role}_name"] = forms.CharField(
                label=_("%(role)s姓名") % {"role": label}, required=False, max_length=32,
                widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}))
            self.fields[f"{role}_id_number"] = forms.CharField(
                label=_("%(role)s身份证号") % {"role": label}, required=False, max_length=30,
                widget=forms.TextInput(attrs={"class": "form-control font-monospace", "autocomplete": "off"}))
            self.fields[f"{role}_mobile"] = forms.CharField(
                label=_("%(role)s手机号") % {"role": label}, required=False, max_length=20,
                widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "tel", "autocomplete": "off"}))

    def main_fields(self):
        """The enterprise's own fields, for the template; the people come in `person_pickers()`."""
        people = {role for role, _label in PERSON_ROLES}
        return [f for f in self.visible_fields()
                if f.name not in people and not f.name.startswith(tuple(f"{r}_" for r in people))]

    def person_pickers(self):
        """Per role: its label, the chosen person (kept across a refused submission) and the new-person fields."""
        pickers = []
        for role, label in PERSON_ROLES:
            chosen = None
            if self.is_bound:
                chosen = self.cleaned_data.get(role) if hasattr(self, "cleaned_data") else None
            elif self.instance is not None:
                chosen = getattr(self.instance, role, None)
            pickers.append({"role": role, "label": label, "field": self[role], "chosen": chosen,
                            "new_fields": [self[f"{role}_{f}"] for f in NEW_PERSON_FIELDS]})
        return pickers

    def clean(self):
        data = super().clean()
        for role, _label in PERSON_ROLES:
            typed = {f: (data.get(f"{role}_{f}") or "").strip() for f in NEW_PERSON_FIELDS}
            if not any(typed.values()):
                continue
            if data.get(role) is not None:
                self.add_error(f"{role}_name", _("已选择了已有人员；如要登记新人员，请先点“更换”清除所选人员。"))
                continue
            person = self._new_person(role, typed)
            if person is not None:
                data[role] = person
        return data

    def _new_person(self, role: str, typed: dict):
        """A person entered inline: an existing one with that ID number (and that name), or a new one
        to create with the enterprise (in `new_people`); None when refused at its fields."""
        ok = True
        if not typed["name"]:
            self.add_error(f"{role}_name", _("请填写姓名。"))
            ok = False
        id_result = check_id_number(typed["id_number"]) if typed["id_number"] else None
        if id_result is None:
            self.add_error(f"{role}_id_number", _("请填写身份证号。"))
            ok = False
        elif not id_result.ok:
            self.add_error(f"{role}_id_number", id_result.error)
            ok = False
        mobile = ""
        if typed["mobile"]:
            mobile_result = check_mobile(typed["mobile"])
            if mobile_result.ok:
                mobile = mobile_result.value
            else:
                self.add_error(f"{role}_mobile", mobile_result.error)
                ok = False
        if not ok:
            return None
        existing = Person.objects.filter(id_number=id_result.value).first()
        if existing is not None:
            if not self.fields[role].queryset.filter(pk=existing.pk).exists():
                self.add_error(f"{role}_id_number", _("该身份证号已登记，但不在您可查看的人员中，请核对。"))
                return None
            if existing.name != typed["name"]:
                self.add_error(f"{role}_id_number", _("该身份证号已登记在另一姓名下，请核对，或搜索选择已有人员。"))
                return None
            return existing
        self.new_people[role] = {"name": typed["name"], "id_number": id_result.value, "mobile": mobile}
        return None

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The whole numbers are never put in the page (that would unmask them unaudited): the
            # fields start empty, say what is stored, masked, and left empty they keep it.
            for name, masked in (("id_number", self.instance.id_number_masked),
                                 ("mobile", self.instance.mobile_masked)):
                self.initial[name] = ""
                if masked:
                    self.fields[name].help_text = _("当前：%(v)s；不修改请留空") % {"v": masked}

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number")
        if not value and self.instance.pk:
            return self.instance.id_number
        if not value:
            return None
        result = check_id_number(value)
        if not result.ok:
            raise forms.ValidationError(result.error)
        return result.value

    def clean_mobile(self):
        value = self.cleaned_data.get("mobile")
        if not value and self.instance.pk:
            return self.instance.mobile
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


class PersonPickerWidget(forms.Widget):
    """A person chosen by searching as one types (static/portal/person_picker.js over the people search
    endpoint): the chosen person's key goes in a hidden input; what was typed goes in `<name>_q`, which
    the field resolves itself when the script did not run (a whole ID number, or a name only one person
    the user sees bears)."""

    template_name = "portal/widgets/person_picker.html"

    def value_from_datadict(self, data, files, name):
        return {"pk": data.get(name, ""), "q": data.get(f"{name}_q", "")}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_q" not in data

    def id_for_label(self, id_):
        return f"{id_}_q" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if isinstance(value, dict):
            pk, typed = str(value.get("pk") or ""), value.get("q") or ""
        else:
            pk, typed = str(getattr(value, "pk", value) or ""), ""
        chosen = Person.objects.filter(pk=pk).first() if pk.isdigit() else None
        context["widget"].update(pk=pk if chosen else "", typed=typed, chosen=chosen,
                                 search_attrs={k: v for k, v in context["widget"]["attrs"].items() if k != "id"})
        return context


class PersonPickerField(forms.Field):
    """A person among `queryset`, or among those `user` sees, chosen by name or ID number - never by
    typing an internal record number."""

    widget = PersonPickerWidget

    def __init__(self, *args, user=None, queryset=None, **kwargs):
        kwargs.setdefault("help_text", _("输入姓名或完整身份证号，从搜索结果中选择。"))
        super().__init__(*args, **kwargs)
        self.user, self.queryset = user, queryset
        self.widget.attrs.setdefault("class", "form-control")

    def _candidates(self):
        return self.queryset if self.queryset is not None else Person.objects.restrict(self.user, "view")

    def clean(self, value):
        if not isinstance(value, dict):
            value = {"pk": getattr(value, "pk", value), "q": ""}
        pk, typed = str(value.get("pk") or "").strip(), str(value.get("q") or "").strip()
        candidates = self._candidates()
        if pk:
            person = candidates.filter(pk=pk).first() if pk.isdigit() else None
            if person is None:
                raise forms.ValidationError(_("所选人员不存在或您无权查看，请重新搜索选择。"))
            return person
        if not typed:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        matches = list(candidates.filter(Q(id_number=typed.upper()) | Q(name=typed)).order_by("pk")[:2])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise forms.ValidationError(_("有不止一人名为“%(q)s”，请输入其完整身份证号，或从搜索结果中选择。") % {"q": typed})
        raise forms.ValidationError(_("没有找到“%(q)s”：请输入完整的姓名或身份证号，或从搜索结果中选择。") % {"q": typed})

    def has_changed(self, initial, data):
        if not isinstance(data, dict):
            data = {"pk": data, "q": ""}
        return str(getattr(initial, "pk", initial) or "") != str(data.get("pk") or "") or bool(data.get("q"))


# The name the forms used when a person was typed by number; they now search.
PersonByNumberField = PersonPickerField
