"""Serializers of the talent API (read-only). Personal data leaves only masked: the ID number and the
mobile come from person.id_number_masked / mobile_masked, never the stored values.

Status, level and the like come out as plain codes with a `*_display` label rather than enums, as in
the insurance API: several apps have a `status`, and drf-spectacular warns when one enum name would
cover two choice sets (`--fail-on-warn`).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from workflow.serializers import DueFieldsMixin

from ..models import BenefitApplication, InnovationProject, Talent, TrainingSession


def _money(**kwargs):
    return serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True, read_only=True,
                                    allow_null=True, **kwargs)


class TalentEnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    uscc = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class TalentPersonSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    id_number_masked = serializers.CharField(read_only=True, help_text=_("脱敏身份证号，如 510***********1234"))
    mobile_masked = serializers.CharField(read_only=True, help_text=_("脱敏手机号，如 138****5678"))


class TalentBaseBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    city = serializers.CharField(read_only=True)


class TalentSerializer(serializers.ModelSerializer):
    person = TalentPersonSerializer(read_only=True)
    level = serializers.CharField(read_only=True, help_text=_("人才类别代码：A、B、C、D、E"))
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    field = serializers.CharField(read_only=True, help_text=_("领域代码"))
    field_display = serializers.CharField(source="get_field_display", read_only=True)
    source = serializers.CharField(read_only=True, help_text=_("引进渠道代码：institute、university、park、other"))
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    employer = TalentEnterpriseSerializer(read_only=True)
    base = TalentBaseBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Talent
        fields = ["id", "person", "level", "level_display", "field", "field_display", "source", "source_display",
                  "source_institution", "introduced_on", "employer", "base"]
        read_only_fields = fields


class BenefitItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    category = serializers.CharField(read_only=True, help_text=_("类别代码：housing、medical、education、spouse、finance"))
    category_display = serializers.CharField(source="get_category_display", read_only=True)


class BenefitTalentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)
    id_number_masked = serializers.CharField(source="person.id_number_masked", read_only=True)


class BenefitEventSerializer(serializers.Serializer):
    action = serializers.CharField(read_only=True)
    action_display = serializers.CharField(source="get_action_display", read_only=True)
    to_status = serializers.CharField(read_only=True)
    amount = _money()
    note = serializers.CharField(read_only=True)
    actor_name = serializers.CharField(read_only=True)
    at = serializers.DateTimeField(read_only=True)


class BenefitApplicationSerializer(DueFieldsMixin, serializers.ModelSerializer):
    talent = BenefitTalentSerializer(read_only=True)
    item = BenefitItemSerializer(read_only=True)
    enterprise = TalentEnterpriseSerializer(read_only=True)
    level = serializers.CharField(read_only=True, help_text=_("申请时的人才类别"))
    item_amount = _money(help_text=_("申请时政策项目的标准金额（元）；服务类项目为空"))
    amount_requested = _money(help_text=_("申请金额（元）；服务类项目为空"))
    amount_approved = _money(help_text=_("批准金额（元）"))
    status = serializers.CharField(read_only=True, help_text=_("状态代码：pending、approved、rejected、withdrawn"))
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    station_name = serializers.CharField(source="station.name", read_only=True, allow_null=True)
    events = BenefitEventSerializer(many=True, read_only=True)

    class Meta:
        model = BenefitApplication
        fields = ["id", "reference", "talent", "item", "enterprise", "level", "item_amount", "amount_requested",
                  "amount_approved", "reason", "status", "status_display", "decision_note", "station_name",
                  "submitted_at", "decided_at", "closed_at", "due_on", "overdue", "events"]
        read_only_fields = fields


class InnovationProjectSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=_("类型代码：workstation、institute、centre、industrial"))
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status = serializers.CharField(read_only=True, help_text=_("进展代码：negotiating、signed、building、landed"))
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    base = TalentBaseBriefSerializer(read_only=True, allow_null=True)
    enterprise_count = serializers.IntegerField(read_only=True, help_text=_("参与企业数"))

    class Meta:
        model = InnovationProject
        fields = ["id", "name", "partner", "kind", "kind_display", "status", "status_display", "signed_on",
                  "landed_on", "base", "enterprise_count", "description"]
        read_only_fields = fields


class TrainingSessionSerializer(serializers.ModelSerializer):
    enterprise_count = serializers.IntegerField(read_only=True, help_text=_("参训企业数"))

    class Meta:
        model = TrainingSession
        fields = ["id", "school", "topic", "held_on", "trainees", "enterprise_count", "note"]
        read_only_fields = fields
