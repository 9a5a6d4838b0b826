"""API of the appeals part: list (filtered, scoped), create, detail with history, the steps of the state
machine, the enterprise's rating; and the departments an appeal can be handed to. Thin adapters over
the appeals selectors and services; errors in the API's one shape (400 with field errors, `not_allowed`
or `stale`; 403 `permission_denied`; 404 outside the user's scope)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.access import ADD, CHANGE
from portal.api.views import ERRORS, FilterBackend, ReadOnlyRegistryViewSet, RegistryViewSet, validated
from portal.errors import DomainError
from portal.rules import check_uscc

from ..choices_appeals import AppealCategory, AppealChannel, AppealPlatform, AppealStatus
from ..filtersets.appeals import AppealFilterSet
from ..models import Appeal, AppealEscalation, AppealEvent, Department, Visit
from ..rules import appeals as rules
from ..selectors import appeals as selectors
from ..services import appeals as services

STEPS = "|".join(rules.TRANSITION_ACTIONS)


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "short_name", "is_active"]


class AppealEventSerializer(serializers.ModelSerializer):
    action_display = serializers.CharField(source="get_action_display")

    class Meta:
        model = AppealEvent
        fields = ["action", "action_display", "from_status", "to_status", "note", "actor_name", "at"]


class AppealEscalationSerializer(serializers.ModelSerializer):
    cadres = serializers.SerializerMethodField(help_text=gettext_lazy("督办的结对领导姓名"))

    class Meta:
        model = AppealEscalation
        fields = ["level", "reason", "escalated_on", "days_overdue", "cadres", "to_org_department"]

    def get_cadres(self, obj) -> list[str]:
        return [c.name for c in obj.cadres.all()]


class AppealSerializer(serializers.ModelSerializer):
    enterprise = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=AppealStatus.choices, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    department = serializers.SerializerMethodField()
    assignee = serializers.SerializerMethodField()
    overdue = serializers.BooleanField(read_only=True, help_text=gettext_lazy("未办结且已过办理期限"))

    class Meta:
        model = Appeal
        fields = ["id", "number", "enterprise", "category", "category_display", "platform", "channel", "station",
                  "title", "status", "status_display", "department", "assignee", "deadline", "due_on", "overdue",
                  "escalation_level", "received_at", "assigned_at", "started_at", "resolved_at", "closed_at",
                  "satisfaction", "rated_at", "version"]

    def get_enterprise(self, obj) -> dict:
        return {"id": obj.enterprise_id, "uscc": obj.enterprise.uscc, "name": obj.enterprise.name}

    def get_department(self, obj) -> dict | None:
        return {"id": obj.department_id, "name": obj.department.name} if obj.department_id else None

    def get_assignee(self, obj) -> dict | None:
        return {"id": obj.assignee_id, "name": obj.assignee_name} if obj.assignee_id else None


class AppealDetailSerializer(AppealSerializer):
    events = AppealEventSerializer(many=True, read_only=True)
    escalations = AppealEscalationSerializer(many=True, read_only=True)
    attachments = serializers.SerializerMethodField()
    actions = serializers.ListField(child=serializers.CharField(), read_only=True,
                                    help_text=gettext_lazy("当前用户此时可以办理的步骤"))

    class Meta(AppealSerializer.Meta):
        fields = [*AppealSerializer.Meta.fields, "description", "resolution", "satisfaction_comment", "visit",
                  "events", "escalations", "attachments", "actions"]

    def get_attachments(self, obj) -> list[dict]:
        return [{"id": f.pk, "name": f.name, "size": f.size} for f in obj.attachments.all()]


class AppealInputSerializer(serializers.Serializer):
    enterprise = serializers.CharField(required=False, help_text=gettext_lazy("企业统一社会信用代码（企业用户可省略）"))
    category = serializers.ChoiceField(choices=AppealCategory.choices)
    platform = serializers.ChoiceField(choices=AppealPlatform.choices, required=False)
    channel = serializers.ChoiceField(choices=AppealChannel.choices, required=False,
                                      help_text=gettext_lazy("由提交人角色决定；组织部、镇街工作人员可选 phone 或 window"))
    title = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    visit = serializers.IntegerField(required=False, help_text=gettext_lazy("联系领导本人的走访记录编号"))


class AppealTransitionInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=gettext_lazy("所见的版本号；他人已处理时返回 stale 错误"))
    department = serializers.IntegerField(required=False, help_text=gettext_lazy("承办部门编号（assign、reassign）"))
    assignee = serializers.IntegerField(required=False, help_text=gettext_lazy("承办人账号编号（可选）"))
    deadline = serializers.DateField(required=False, help_text=gettext_lazy("办理期限（可选，默认按类别）"))
    note = serializers.CharField(required=False, allow_blank=True,
                                 help_text=gettext_lazy("说明；reopen、dismiss 时须写明理由"))
    resolution = serializers.CharField(required=False, allow_blank=True, help_text=gettext_lazy("办理结果（resolve）"))


class AppealRateInputSerializer(serializers.Serializer):
    score = serializers.CharField(help_text=gettext_lazy("满意度 1–5"))
    comment = serializers.CharField(required=False, allow_blank=True,
                                    help_text=gettext_lazy("评价意见；1、2 星时必填"))


@extend_schema(tags=["问题诉求"])
class AppealDepartmentViewSet(ReadOnlyRegistryViewSet):
    """职能部门（诉求的承办部门）。"""

    scope_model = Department
    selector = staticmethod(lambda user: Department.objects.restrict(user).order_by("name", "pk"))
    serializer_class = DepartmentSerializer
    filter_backends = ()


@extend_schema(tags=["问题诉求"])
@extend_schema_view(
    list=extend_schema(responses={200: AppealSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]}),
    retrieve=extend_schema(responses={200: AppealDetailSerializer, 404: ERRORS[404]}),
    create=extend_schema(request=AppealInputSerializer,
                         responses={201: AppealDetailSerializer, 400: ERRORS[400], 403: ERRORS[403]}),
)
class AppealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegistryViewSet):
    """问题诉求：企业线上、服务站代办、领导走访或电话/窗口提交；交办职能部门，办理、办结、销号；超期督办；
    办结后由企业评价满意度。"""

    scope_model = Appeal
    selector = staticmethod(selectors.appeal_list)
    serializer_class = AppealSerializer
    filterset_class = AppealFilterSet
    filter_backends = (FilterBackend,)
    scope_actions = {"create": ADD, "transition": CHANGE, "rate": CHANGE}

    def get_object(self):
        return selectors.access_appeal(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, appeal, status=200):
        appeal = selectors.access_appeal(user=self.request.user, pk=appeal.pk)
        appeal.actions = selectors.appeal_actions(self.request.user, appeal)
        return Response(AppealDetailSerializer(appeal).data, status=status)

    def retrieve(self, request, pk=None):
        return self._detail(self.get_object())

    def create(self, request):
        data = validated(AppealInputSerializer(data=request.data))
        enterprise = selectors.own_enterprise(request.user)
        if data.get("enterprise") or enterprise is None:
            result = check_uscc(data.get("enterprise", ""))
            if not result.ok:
                raise DomainError(result.error, field="enterprise")
            enterprise = selectors.creatable_enterprises(user=request.user).filter(uscc=result.value).first()
            if enterprise is None:
                raise DomainError(_("信用代码为 %(c)s 的企业不在您可以代为提交诉求的范围内。") % {"c": result.value},
                                  field="enterprise")
        visit = None
        if data.get("visit") is not None:
            visit = Visit.objects.filter(pk=data["visit"], cadre__user=request.user).select_related("cadre").first()
            if visit is None:
                raise DomainError(_("只能关联您本人的走访记录。"), field="visit")
        appeal = services.appeal_create(
            acting_user=request.user, enterprise=enterprise, category=data["category"],
            platform=data.get("platform", AppealPlatform.APPEAL), channel=data.get("channel"), visit=visit,
            title=data["title"], description=data["description"])
        return self._detail(appeal, status=201)

    @extend_schema(operation_id="v1_appeals_transition", request=AppealTransitionInputSerializer,
                   parameters=[OpenApiParameter("step", str, OpenApiParameter.PATH, enum=list(rules.TRANSITION_ACTIONS),
                                                description="assign 交办、reassign 改派、start 开始办理、resolve 办结、"
                                                            "close 销号、reopen 重新办理、withdraw 撤回、dismiss 不予受理")],
                   responses={200: AppealDetailSerializer, 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404]})
    @action(detail=True, methods=["post"], url_path=rf"(?P<step>{STEPS})", url_name="transition",
            filter_backends=(), pagination_class=None)
    def transition(self, request, pk=None, step=None):
        """办理一步。当前状态不允许时返回 400（not_allowed，说明当前状态）；无权办理时 403；版本过期时 400（stale）。"""
        appeal = self.get_object()
        data = validated(AppealTransitionInputSerializer(data=request.data))
        department = assignee = None
        if data.get("department") is not None:
            department = Department.objects.filter(pk=data["department"]).first()
            if department is None:
                raise DomainError(_("没有编号为 %(n)s 的职能部门。") % {"n": data["department"]}, field="department")
        if data.get("assignee") is not None:
            assignee = get_user_model().objects.filter(pk=data["assignee"]).first()
            if assignee is None:
                raise DomainError(_("承办人须为组织部、镇街工作人员或联系领导的有效账号。"), field="assignee")
        appeal = services.appeal_transition(
            appeal=appeal, action=step, acting_user=request.user, version=data["version"], department=department,
            assignee=assignee, deadline=data.get("deadline"), note=data.get("note", ""),
            resolution=data.get("resolution", ""))
        return self._detail(appeal)

    @extend_schema(operation_id="v1_appeals_rate", request=AppealRateInputSerializer,
                   responses={200: AppealDetailSerializer, 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404]})
    @action(detail=True, methods=["post"], url_path="rate", url_name="rate", filter_backends=(),
            pagination_class=None)
    def rate(self, request, pk=None):
        """满意度评价：办结（或销号）后由企业评价一次，1–5 星，不能修改。"""
        appeal = self.get_object()
        data = validated(AppealRateInputSerializer(data=request.data))
        appeal = services.appeal_rate(appeal=appeal, score=data["score"], comment=data.get("comment", ""),
                                      acting_user=request.user)
        return self._detail(appeal)


def register(router) -> None:
    """Register this part's viewsets on the liaison router."""
    router.register("appeals", AppealViewSet, basename="appeal")
    router.register("appeal-departments", AppealDepartmentViewSet, basename="appeal-department")
