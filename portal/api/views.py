"""The registry's REST API: thin adapters. Reads come from the selectors (already limited to the
user's scope), writes go through the services (which check, validate and audit); a serializer
parses the input and renders the output. A row outside the user's scope is not found (404); a role
with no right on the model at all is refused (403) by `HasModelRight`."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from apikeys.authentication import ApiKeyAuthentication, LegacyTokenAuthentication
from apikeys.permissions import HasKeyScope

from .. import selectors, services
from ..access import CHANGE, UNMASK, VIEW
from ..errors import DomainError
from ..filtersets import (
    AuditLogFilterSet,
    EnterpriseFilterSet,
    PersonFilterSet,
    RegionFilterSet,
    StationFilterSet,
)
from ..models import AuditLog, Enterprise, Institution, Park, Person, Region, ServiceStation
from ..rules import check_uscc
from .permissions import HasModelRight
from .serializers import (
    ApiErrorSerializer,
    AuditLogSerializer,
    EnterpriseSerializer,
    InstitutionSerializer,
    ParkSerializer,
    PersonSerializer,
    PersonUnmaskedSerializer,
    PersonUnmaskInputSerializer,
    RegionSerializer,
    StationSerializer,
)

# The institution API key first: an anonymous call then gets 401 with a `WWW-Authenticate: Api-Key`
# challenge, which is what the banks' and insurers' systems act on; a legacy token works until the
# administrator's cut-off (apikeys); browsers keep working through the session.
AUTHENTICATION_CLASSES = (ApiKeyAuthentication, LegacyTokenAuthentication, SessionAuthentication)

ERRORS = {
    400: OpenApiResponse(ApiErrorSerializer, description=gettext_lazy("输入有误，错误信息按字段给出")),
    403: OpenApiResponse(ApiErrorSerializer, description=gettext_lazy("无此权限")),
    404: OpenApiResponse(ApiErrorSerializer, description=gettext_lazy("不存在或不在您的范围内")),
}


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class FilterBackend(DjangoFilterBackend):
    """The shared FilterSet; invalid filter input is reported in the API's one error shape."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise DomainError(_("筛选条件有误。"), errors=filterset.errors)
        return filterset.qs


def validated(serializer) -> dict:
    """The serializer's data, or a DomainError in the API's one error shape."""
    if not serializer.is_valid():
        raise DomainError(_("请更正标出的错误。"), errors=serializer.errors)
    return serializer.validated_data


class RegistryViewSet(viewsets.GenericViewSet):
    """Rows come from `selector(user=…)`; `scope_model` is what HasModelRight checks."""

    authentication_classes = AUTHENTICATION_CLASSES
    # A key also needs the scope the view declares (`key_scope`, apikeys.scopes); the registry's
    # own endpoints declare none, so they are closed to keys.
    permission_classes = (HasKeyScope, HasModelRight)
    pagination_class = Pagination
    filter_backends = (FilterBackend,)
    scope_model = None
    selector = None

    def get_queryset(self):
        return type(self).selector(user=self.request.user)


class ReadOnlyRegistryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegistryViewSet):
    pass


@extend_schema(tags=["行政区划"])
class RegionViewSet(ReadOnlyRegistryViewSet):
    """行政区划（市、镇街、村社区）。"""

    scope_model = Region
    selector = staticmethod(selectors.region_list)
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet


@extend_schema(tags=["工业园区"])
class ParkViewSet(ReadOnlyRegistryViewSet):
    """工业园区。"""

    scope_model = Park
    selector = staticmethod(selectors.park_list)
    serializer_class = ParkSerializer


@extend_schema(tags=["金融机构"])
class InstitutionViewSet(ReadOnlyRegistryViewSet):
    """参与党建增信的银行与保险公司。"""

    scope_model = Institution
    selector = staticmethod(selectors.institution_list)
    serializer_class = InstitutionSerializer
    filterset_fields = ["kind"]


@extend_schema(tags=["金融服务站"])
class StationViewSet(ReadOnlyRegistryViewSet):
    """金融服务站。"""

    scope_model = ServiceStation
    selector = staticmethod(selectors.station_list)
    serializer_class = StationSerializer
    filterset_class = StationFilterSet


@extend_schema(tags=["市场主体"])
@extend_schema_view(
    retrieve=extend_schema(responses={200: EnterpriseSerializer, 404: ERRORS[404]}),
)
class EnterpriseViewSet(mixins.ListModelMixin, RegistryViewSet):
    """市场主体（民营企业、农民专业合作社、家庭农场）。"""

    scope_model = Enterprise
    selector = staticmethod(selectors.enterprise_list)
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet

    def get_object(self):
        action = VIEW if self.request.method in SAFE_METHODS else CHANGE
        return selectors.access_enterprise(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def retrieve(self, request, pk=None):
        return Response(EnterpriseSerializer(self.get_object()).data)

    @extend_schema(
        request=EnterpriseSerializer,
        responses={201: EnterpriseSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def create(self, request):
        values = validated(EnterpriseSerializer(data=request.data, context=self.get_serializer_context()))
        enterprise = services.enterprise_create(acting_user=request.user, **values)
        return Response(EnterpriseSerializer(enterprise).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=EnterpriseSerializer,
        responses={200: EnterpriseSerializer, 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404]},
    )
    def partial_update(self, request, pk=None):
        enterprise = self.get_object()
        values = validated(
            EnterpriseSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        )
        enterprise = services.enterprise_update(acting_user=request.user, enterprise=enterprise, **values)
        return Response(EnterpriseSerializer(enterprise).data)

    @extend_schema(
        summary=gettext_lazy("按统一社会信用代码查找"),
        parameters=[
            OpenApiParameter("uscc", str, OpenApiParameter.PATH, description=gettext_lazy("18 位统一社会信用代码"))
        ],
        responses={200: EnterpriseSerializer, 400: ERRORS[400], 404: ERRORS[404]},
        filters=False,
    )
    @action(detail=False, methods=["get"], url_path=r"by-uscc/(?P<uscc>[^/]+)", url_name="by-uscc",
            pagination_class=None, filter_backends=())
    def by_uscc(self, request, uscc=None):
        result = check_uscc(uscc)
        if not result.ok:
            raise DomainError(result.error, field="uscc")
        enterprise = selectors.enterprise_by_uscc(user=request.user, uscc=result.value)
        if enterprise is None:
            raise Http404
        return Response(EnterpriseSerializer(enterprise).data)


@extend_schema(tags=["人员"])
@extend_schema_view(
    retrieve=extend_schema(responses={200: PersonSerializer, 404: ERRORS[404]}),
)
class PersonViewSet(mixins.ListModelMixin, RegistryViewSet):
    """人员（企业家、法定代表人、联系人）。身份证号与手机号一律脱敏输出；查看完整信息须调用 unmask，并记入审计日志。"""

    scope_model = Person
    selector = staticmethod(selectors.person_list)
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    # Unmasking is a POST that changes nothing: it needs the unmask right, not the change right.
    scope_actions = {"unmask": UNMASK}

    def get_object(self):
        action = CHANGE if self.action == "partial_update" else VIEW
        return selectors.access_person(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def retrieve(self, request, pk=None):
        return Response(PersonSerializer(self.get_object()).data)

    @extend_schema(
        request=PersonSerializer,
        responses={201: PersonSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def create(self, request):
        values = validated(PersonSerializer(data=request.data))
        person = services.person_create(acting_user=request.user, **values)
        return Response(PersonSerializer(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=PersonSerializer,
        responses={200: PersonSerializer, 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404]},
    )
    def partial_update(self, request, pk=None):
        person = self.get_object()
        values = validated(PersonSerializer(data=request.data, partial=True))
        person = services.person_update(acting_user=request.user, person=person, **values)
        return Response(PersonSerializer(person).data)

    @extend_schema(
        summary=gettext_lazy("查看完整身份证号与手机号（记入审计日志）"),
        request=PersonUnmaskInputSerializer,
        responses={200: PersonUnmaskedSerializer, 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404]},
    )
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=())
    def unmask(self, request, pk=None):
        person = self.get_object()
        chosen = validated(PersonUnmaskInputSerializer(data=request.data)).get("fields")
        kwargs = {"fields": tuple(f for f in ("id_number", "mobile") if f in chosen)} if chosen else {}
        values = services.person_unmask(acting_user=request.user, person=person, **kwargs)
        # Personal data in the clear: no cache along the way may keep a copy.
        return Response(values, headers={"Cache-Control": "no-store"})


@extend_schema(tags=["审计日志"])
class AuditLogViewSet(mixins.ListModelMixin, RegistryViewSet):
    """审计日志（只读）。"""

    scope_model = AuditLog
    selector = staticmethod(selectors.audit_log_list)
    serializer_class = AuditLogSerializer
    filterset_class = AuditLogFilterSet
