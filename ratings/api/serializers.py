"""Serializers of the ratings API: representations out only (the API reads; the workflow is written
through the HTML pages and the services).

Each choice set appears as an enum in one schema component only, or under one field name: the
rating's organization gives its `kind` and an event its statuses as plain codes with a `*_display`
label, because drf-spectacular warns when one choice set gets two enum names (`--fail-on-warn`).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from workflow.serializers import DueFieldsMixin

from ..choices import OrgKind, RatingAction, RatingStatus, Stage
from ..models import Cycle, PartyOrganization, Rating, RatingEvent


def _score(**kwargs):
    return serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=True, allow_null=True,
                                    read_only=True, **kwargs)


class CycleBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cycle
        fields = ["id", "year", "name"]
        read_only_fields = fields


class RatingOrganizationSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=_("组织类型代码（见党组织接口的 kind）"))
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = PartyOrganization
        fields = ["id", "name", "kind", "kind_display", "region", "region_code", "region_name"]
        read_only_fields = fields


class RatingSerializer(DueFieldsMixin, serializers.ModelSerializer):
    cycle = CycleBriefSerializer(read_only=True)
    organization = RatingOrganizationSerializer(read_only=True)
    status = serializers.ChoiceField(choices=RatingStatus.choices, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    score = _score(help_text=_("得分（一位小数），尚未评分时为空"))
    vetoes = serializers.ListField(child=serializers.CharField(), read_only=True,
                                   help_text=_("触发的否决项编号"))

    class Meta:
        model = Rating
        fields = [
            "id", "cycle", "organization", "status", "status_display", "score", "stars", "vetoes",
            "notice_starts_on", "notice_ends_on", "valid_from", "valid_to", "revoked_on", "revoke_reason",
            "due_on", "overdue", "version",
        ]
        read_only_fields = fields


class StageResultSerializer(serializers.Serializer):
    """One stage's result as it was submitted."""

    stage = serializers.ChoiceField(choices=Stage.choices, read_only=True)
    stage_display = serializers.CharField(read_only=True)
    total = _score(help_text=_("该环节总分"))
    stars = serializers.IntegerField(allow_null=True, read_only=True)
    vetoes = serializers.ListField(child=serializers.CharField(), read_only=True)


class RatingEventSerializer(serializers.ModelSerializer):
    action = serializers.ChoiceField(choices=RatingAction.choices, read_only=True)
    action_display = serializers.CharField(source="get_action_display", read_only=True)
    from_status = serializers.CharField(read_only=True, help_text=_("原状态代码，开始时为空"))
    from_status_display = serializers.CharField(source="get_from_status_display", read_only=True)
    to_status = serializers.CharField(read_only=True, help_text=_("新状态代码"))
    to_status_display = serializers.CharField(source="get_to_status_display", read_only=True)

    class Meta:
        model = RatingEvent
        fields = ["action", "action_display", "from_status", "from_status_display", "to_status",
                  "to_status_display", "actor_name", "at", "comment"]
        read_only_fields = fields


class RatingDetailSerializer(RatingSerializer):
    stage_results = serializers.SerializerMethodField(help_text=_("各环节提交时的结果，按流程顺序"))
    events = RatingEventSerializer(many=True, read_only=True, help_text=_("评定记录，按时间顺序"))

    class Meta(RatingSerializer.Meta):
        fields = [*RatingSerializer.Meta.fields, "stage_results", "events"]
        read_only_fields = fields

    @extend_schema_field(StageResultSerializer(many=True))
    def get_stage_results(self, rating):
        stored = rating.stage_results or {}
        rows = [{"stage": stage, "stage_display": label, **stored[stage]}
                for stage, label in Stage.choices if stage in stored]
        return StageResultSerializer(rows, many=True).data



class CoveredEnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="enterprise.id", read_only=True)
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    name = serializers.CharField(source="enterprise.name", read_only=True)


class PartyOrganizationSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=OrgKind.choices, read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    superior_name = serializers.CharField(source="superior.name", read_only=True, allow_null=True)
    # The secretary by name only: ID number and mobile stay behind the people API's masking.
    secretary_name = serializers.CharField(source="secretary.name", read_only=True, allow_null=True)
    enterprises = CoveredEnterpriseSerializer(
        source="current_coverages", many=True, read_only=True,
        help_text=_("当前覆盖的企业（仅列出您有权查看的企业）"),
    )

    class Meta:
        model = PartyOrganization
        fields = [
            "id", "name", "kind", "kind_display", "region", "region_code", "region_name", "superior",
            "superior_name", "secretary_name", "member_count", "founded_on", "dissolved_on", "enterprises",
        ]
        read_only_fields = fields
