"""One FilterSet per list, for the HTML page and the API alike."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.filtersets import year_filter, yes_no_filter
from portal.rules import clean_text
from workflow.filtersets import DueFilterSet

from .choices import (
    BenefitStatus,
    PolicyCategory,
    ProjectKind,
    ProjectStatus,
    RegistrationKind,
    TalentField,
    TalentLevel,
    TalentSource,
)
from .models import (
    BenefitApplication,
    IncubationBase,
    InnovationProject,
    IPServiceAction,
    PlatformRegistration,
    PolicyItem,
    Talent,
    TrainingSession,
)


def _search(*lookups):
    def method(self, queryset, name, value):
        value = clean_text(value)
        if not value:
            return queryset
        q = Q()
        for lookup in lookups:
            q |= Q(**{lookup: value})
        return queryset.filter(q)

    return method


class PolicyItemFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或条件"), method="search")
    category = django_filters.ChoiceFilter(label=_("类别"), choices=PolicyCategory.choices, empty_label=_("全部"))
    level = django_filters.ChoiceFilter(label=_("适用人才类别"), choices=TalentLevel.choices, empty_label=_("全部"),
                                        field_name="levels", lookup_expr="contains")
    is_active = yes_no_filter(_("有效"))

    search = _search("name__icontains", "conditions__icontains")

    class Meta:
        model = PolicyItem
        fields = ["q", "category", "level", "is_active"]


class TalentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("姓名、单位或来源"), method="search")
    level = django_filters.ChoiceFilter(label=_("人才类别"), choices=TalentLevel.choices, empty_label=_("全部"))
    field = django_filters.ChoiceFilter(label=_("领域"), choices=TalentField.choices, empty_label=_("全部"))
    source = django_filters.ChoiceFilter(label=_("引进渠道"), choices=TalentSource.choices, empty_label=_("全部"))
    base = django_filters.ModelChoiceFilter(label=_("孵化基地"), queryset=IncubationBase.objects.all(),
                                            empty_label=_("全部"))
    introduced_year = year_filter("introduced_on")

    search = _search("person__name__icontains", "employer__name__icontains", "source_institution__icontains")

    class Meta:
        model = Talent
        fields = ["q", "level", "field", "source", "base", "introduced_year"]


class BenefitApplicationFilterSet(DueFilterSet):
    q = django_filters.CharFilter(label=_("编号、姓名或单位"), method="search")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=BenefitStatus.choices, empty_label=_("全部"))
    category = django_filters.ChoiceFilter(label=_("类别"), choices=PolicyCategory.choices, empty_label=_("全部"),
                                           field_name="item__category")
    item = django_filters.ModelChoiceFilter(label=_("政策项目"), queryset=PolicyItem.objects.all(),
                                            empty_label=_("全部"))
    since = django_filters.DateFilter(label=_("提交日期起"), field_name="submitted_at", lookup_expr="date__gte")
    until = django_filters.DateFilter(label=_("提交日期止"), field_name="submitted_at", lookup_expr="date__lte")

    search = _search("reference__iexact", "talent__person__name__icontains", "enterprise__name__icontains")

    class Meta:
        model = BenefitApplication
        fields = ["q", "status", "category", "item", "since", "until"]


class ProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或合作方"), method="search")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=ProjectKind.choices, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("进展"), choices=ProjectStatus.choices, empty_label=_("全部"))
    base = django_filters.ModelChoiceFilter(label=_("孵化基地"), queryset=IncubationBase.objects.all(),
                                            empty_label=_("全部"))

    search = _search("name__icontains", "partner__icontains")

    class Meta:
        model = InnovationProject
        fields = ["q", "kind", "status", "base"]


class IPActionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或合作单位"), method="search")
    year = year_filter("held_on")

    search = _search("title__icontains", "partner__icontains")

    class Meta:
        model = IPServiceAction
        fields = ["q", "year"]


class TrainingSessionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("主题或院校"), method="search")
    year = year_filter("held_on")

    search = _search("topic__icontains", "school__icontains")

    class Meta:
        model = TrainingSession
        fields = ["q", "year"]


class RegistrationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称"), field_name="enterprise__name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("入驻类型"), choices=RegistrationKind.choices, empty_label=_("全部"))
    year = year_filter("registered_on")

    class Meta:
        model = PlatformRegistration
        fields = ["q", "kind", "year"]
