"""Serializers of the registry API: types in, representations out.

No business rule lives here. A serializer checks only what a type can say (a number is a number, a
date a date, a related id exists among the rows the user may see); credit codes, ID numbers,
uniqueness and the like are the services' to check, and they answer with a DomainError. The
serializers never save: the views hand `validated_data` to a service.

Enterprise and Person use one serializer for both directions (read-only fields out, write-only
fields in) so that each choice set appears in one schema component only; two components sharing a
`kind` enum make drf-spectacular warn about the enum's name.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..access import VIEW
from ..choices import EnterpriseKind, Industry
from ..models import AuditLog, Institution, Park, Person, Region, ServiceStation

PERSONAL_FIELDS = (("id_number", _("身份证号")), ("mobile", _("手机号")))


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related row given by id, found only among the rows the requesting user may see, so an
    input can neither point at nor probe for a row outside the user's scope."""

    def get_queryset(self):
        request = self.context.get("request")
        return self.queryset.restrict(getattr(request, "user", None), VIEW)


# --- output -------------------------------------------------------------------------------------


class RegionSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["id", "code", "name", "level", "level_display", "kind", "kind_display", "parent", "parent_name"]
        read_only_fields = fields


class ParkSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Park
        fields = ["id", "code", "name", "region", "region_name", "address"]
        read_only_fields = fields


class InstitutionSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Institution
        fields = ["id", "kind", "kind_display", "code", "name", "short_name", "is_active"]
        read_only_fields = fields


class StationSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    host_display = serializers.CharField(source="get_host_display", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    park_name = serializers.CharField(source="park.name", read_only=True, allow_null=True)

    class Meta:
        model = ServiceStation
        fields = [
            "id", "code", "name", "level", "level_display", "host", "host_display", "region", "region_name",
            "park", "park_name", "address", "phone", "is_active",
        ]
        read_only_fields = fields


class EnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    # Generous lengths and blanks allowed on purpose: the service names what is wrong with a credit
    # code or a name (in Chinese, at the field) better than a length check would.
    uscc = serializers.CharField(max_length=64, allow_blank=True, help_text=_("统一社会信用代码（18 位）"))
    name = serializers.CharField(max_length=120, allow_blank=True, help_text=_("名称"))
    kind = serializers.ChoiceField(choices=EnterpriseKind.choices, required=False, help_text=_("主体类型"))
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    industry = serializers.ChoiceField(
        choices=Industry.choices, allow_blank=True, required=False, help_text=_("行业门类（GB/T 4754）")
    )
    industry_display = serializers.CharField(source="get_industry_display", read_only=True)
    region = ScopedPrimaryKeyRelatedField(queryset=Region.objects.all(), help_text=_("所在区划"))
    region_name = serializers.CharField(source="region.name", read_only=True)
    park = ScopedPrimaryKeyRelatedField(
        queryset=Park.objects.all(), allow_null=True, required=False, help_text=_("所在园区")
    )
    park_name = serializers.CharField(source="park.name", read_only=True, allow_null=True)
    is_key = serializers.BooleanField(required=False, help_text=_("重点民企"))
    employees = serializers.IntegerField(min_value=0, max_value=2_147_483_647, required=False,
                                         help_text=_("从业人数"))
    registered_capital = serializers.DecimalField(max_digits=16, decimal_places=2, required=False,
                                                  help_text=_("注册资本（元）"))
    founded_on = serializers.DateField(allow_null=True, required=False, help_text=_("成立日期"))
    address = serializers.CharField(max_length=200, allow_blank=True, required=False, help_text=_("住所"))
    legal_representative = ScopedPrimaryKeyRelatedField(
        queryset=Person.objects.all(), allow_null=True, required=False, help_text=_("法定代表人（人员编号）")
    )
    contact = ScopedPrimaryKeyRelatedField(
        queryset=Person.objects.all(), allow_null=True, required=False, help_text=_("联系人（人员编号）")
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class PersonSerializer(serializers.Serializer):
    """ID number and mobile go in whole and come out masked, always."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=32, allow_blank=True, help_text=_("姓名"))
    id_number = serializers.CharField(
        max_length=32, allow_blank=True, allow_null=True, required=False, write_only=True, help_text=_("身份证号")
    )
    id_number_masked = serializers.CharField(read_only=True, help_text=_("身份证号（已脱敏）"))
    mobile = serializers.CharField(max_length=20, allow_blank=True, required=False, write_only=True,
                                   help_text=_("手机号"))
    mobile_masked = serializers.CharField(read_only=True, help_text=_("手机号（已脱敏）"))
    is_new_generation = serializers.BooleanField(required=False, help_text=_("新生代企业家"))
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class PersonUnmaskedSerializer(serializers.Serializer):
    """Only the fields asked for are present."""

    id_number = serializers.CharField(required=False, help_text=_("完整身份证号"))
    mobile = serializers.CharField(required=False, help_text=_("完整手机号"))


class AuditLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditLog
        fields = [
            "id", "at", "actor", "actor_name", "action", "object_type", "object_id", "object_repr", "before",
            "after", "ip", "note",
        ]
        read_only_fields = fields


class ApiErrorSerializer(serializers.Serializer):
    """The one error shape of the API (portal.api.exceptions)."""

    detail = serializers.CharField()
    # A refusal by a service carries a stable code; DRF's own 401/403/404 carry only `detail`.
    code = serializers.CharField(required=False)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


# --- input ----------------------------------------------------------------------------------------


class PersonUnmaskInputSerializer(serializers.Serializer):
    fields = serializers.MultipleChoiceField(
        choices=PERSONAL_FIELDS, allow_empty=False, required=False, help_text=_("要查看的字段，缺省为全部")
    )
