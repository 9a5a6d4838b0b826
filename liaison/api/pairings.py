"""API of the pairings part (read-only): cadres with their counts and where they stand against the
1–3 range, and pairings. Thin adapters over the selectors; personal data goes out masked only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from portal.api.views import ERRORS, ReadOnlyRegistryViewSet

from ..choices import CadreLevel, PairingKind
from ..filtersets.pairings import CadreFilterSet, PairingFilterSet
from ..models import Cadre, Pairing
from ..rules import pairings as rules
from ..selectors import pairings as selectors

STATES = rules.CADRE_STATES


class CadreSerializer(serializers.ModelSerializer):
    level = serializers.ChoiceField(choices=CadreLevel.choices, help_text=_("干部层级"))
    level_display = serializers.CharField(source="get_level_display")
    has_account = serializers.SerializerMethodField(help_text=_("是否已关联登录账号"))
    enterprise_count = serializers.IntegerField(help_text=_("当前联系的重点民企数"))
    entrepreneur_count = serializers.IntegerField(help_text=_("当前联系的企业家数"))
    enterprise_state = serializers.ChoiceField(choices=STATES, help_text=_("重点民企数与 1–3 的关系"))
    entrepreneur_state = serializers.ChoiceField(choices=STATES, help_text=_("企业家数与 1–3 的关系"))
    range_state = serializers.ChoiceField(choices=STATES, help_text=_("任一类不足为 under，否则任一类超出为 over"))
    last_visit = serializers.DateField(allow_null=True, help_text=_("最近一次走访日期"))

    class Meta:
        model = Cadre
        fields = ["id", "name", "post", "unit", "level", "level_display", "order", "is_active", "has_account",
                  "enterprise_count", "entrepreneur_count", "enterprise_state", "entrepreneur_state", "range_state",
                  "last_visit"]
        read_only_fields = fields

    def get_has_account(self, cadre) -> bool:
        return cadre.user_id is not None


class PairingSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=PairingKind.choices, help_text=_("联系对象"))
    kind_display = serializers.CharField(source="get_kind_display")
    cadre_name = serializers.CharField(source="cadre.name")
    cadre_post = serializers.CharField(source="cadre.post")
    enterprise_name = serializers.CharField(source="enterprise.name", allow_null=True, default=None)
    enterprise_uscc = serializers.CharField(source="enterprise.uscc", allow_null=True, default=None)
    person_name = serializers.CharField(source="person.name", allow_null=True, default=None)
    person_mobile = serializers.CharField(source="person.mobile_masked", allow_null=True, default=None,
                                          help_text=_("企业家手机号（脱敏）"))
    is_current = serializers.BooleanField()

    class Meta:
        model = Pairing
        fields = ["id", "cadre", "cadre_name", "cadre_post", "kind", "kind_display", "enterprise", "enterprise_name",
                  "enterprise_uscc", "person", "person_name", "person_mobile", "started_on", "ended_on",
                  "end_reason", "is_current"]
        read_only_fields = fields


@extend_schema(tags=["政企联系"])
@extend_schema_view(
    list=extend_schema(responses={200: CadreSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]}),
    retrieve=extend_schema(responses={200: CadreSerializer, 404: ERRORS[404]}),
)
class CadreViewSet(ReadOnlyRegistryViewSet):
    """联系领导：当前联系的重点民企、企业家数量，以及与“1 至 3”的关系（只考核县级领导干部）。"""

    scope_model = Cadre
    selector = staticmethod(selectors.cadre_list)
    serializer_class = CadreSerializer
    filterset_class = CadreFilterSet


@extend_schema(tags=["政企联系"])
@extend_schema_view(
    list=extend_schema(responses={200: PairingSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]}),
    retrieve=extend_schema(responses={200: PairingSerializer, 404: ERRORS[404]}),
)
class PairingViewSet(ReadOnlyRegistryViewSet):
    """结对联系：领导干部与重点民企、企业家的结对（当前与以往）。企业家的个人信息一律脱敏。"""

    scope_model = Pairing
    selector = staticmethod(selectors.pairing_list)
    serializer_class = PairingSerializer
    filterset_class = PairingFilterSet


def register(router) -> None:
    """Register this part's viewsets on the liaison router."""
    router.register("cadres", CadreViewSet, basename="cadre")
    router.register("liaison-pairings", PairingViewSet, basename="liaison-pairing")
