"""The talent REST API: read-only, token auth, the shared FilterSets. Rows come from the selectors
(already limited to the user's scope): a row outside it is not found (404), a role with no right on
the model at all (a bank, an insurer, a cadre, the administrator on talents) is refused (403)."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view

from portal.api.views import ERRORS, ReadOnlyRegistryViewSet

from .. import selectors
from ..filtersets import (
    BenefitApplicationFilterSet,
    ProjectFilterSet,
    TalentFilterSet,
    TrainingSessionFilterSet,
)
from ..models import BenefitApplication, BenefitEvent, InnovationProject, Talent, TrainingSession
from .serializers import (
    BenefitApplicationSerializer,
    InnovationProjectSerializer,
    TalentSerializer,
    TrainingSessionSerializer,
)

LIST_ERRORS = {400: ERRORS[400], 403: ERRORS[403]}
DETAIL_ERRORS = {403: ERRORS[403], 404: ERRORS[404]}


def _schema(serializer):
    return extend_schema_view(
        list=extend_schema(responses={200: serializer(many=True), **LIST_ERRORS}),
        retrieve=extend_schema(responses={200: serializer, **DETAIL_ERRORS}),
    )


@extend_schema(tags=["人才"])
@_schema(TalentSerializer)
class TalentViewSet(ReadOnlyRegistryViewSet):
    """人才：类别、领域、用人单位、引进渠道、孵化基地。身份证号与手机号只以脱敏形式输出。"""

    scope_model = Talent
    selector = staticmethod(selectors.talent_list)
    serializer_class = TalentSerializer
    filterset_class = TalentFilterSet


@extend_schema(tags=["人才待遇申请"])
@_schema(BenefitApplicationSerializer)
class BenefitApplicationViewSet(ReadOnlyRegistryViewSet):
    """人才待遇申请及其办理记录。用人单位只能看到本单位的申请，金融服务站只能看到本服务区域的申请。"""

    scope_model = BenefitApplication
    serializer_class = BenefitApplicationSerializer
    filterset_class = BenefitApplicationFilterSet

    def get_queryset(self):
        return selectors.benefit_application_list(user=self.request.user).prefetch_related(
            Prefetch("events", queryset=BenefitEvent.objects.order_by("at", "pk")))


@extend_schema(tags=["科创合作项目"])
@_schema(InnovationProjectSerializer)
class InnovationProjectViewSet(ReadOnlyRegistryViewSet):
    """与高校、院所共建的科创项目和落地的高技术产业项目。"""

    scope_model = InnovationProject
    selector = staticmethod(selectors.project_list)
    serializer_class = InnovationProjectSerializer
    filterset_class = ProjectFilterSet


@extend_schema(tags=["订单式培训"])
@_schema(TrainingSessionSerializer)
class TrainingSessionViewSet(ReadOnlyRegistryViewSet):
    """与本地职业院校开展的订单式技能培训场次。"""

    scope_model = TrainingSession
    selector = staticmethod(selectors.training_session_list)
    serializer_class = TrainingSessionSerializer
    filterset_class = TrainingSessionFilterSet
