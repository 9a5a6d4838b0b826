"""The notification centre over the API: the caller's own notifications, newest first, and marking
them read. For an institution's system (API key) the caller is the institution's service account."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apikeys.permissions import HasKeyScope
from apikeys.scopes import NOTIFICATIONS_READ
from portal.api.views import AUTHENTICATION_CLASSES, ERRORS, Pagination

from .. import selectors, services
from ..models import Notification
from .serializers import MarkedSerializer, NotificationSerializer


@extend_schema(tags=["通知"])
@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("unread", bool, OpenApiParameter.QUERY, description="只列未读（true）")],
        responses={200: NotificationSerializer(many=True), 403: ERRORS[403]}),
)
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """本人的通知，最新的在前；可将一条或全部标为已读。他人的通知一律不存在（404）。"""

    authentication_classes = AUTHENTICATION_CLASSES
    permission_classes = (HasKeyScope, IsAuthenticated)
    key_scope = NOTIFICATIONS_READ
    pagination_class = Pagination
    serializer_class = NotificationSerializer
    filter_backends = ()

    def get_queryset(self):
        rows = selectors.notification_list(user=self.request.user)
        if self.action == "list" and self.request.query_params.get("unread", "").lower() in ("1", "true"):
            rows = rows.filter(read_at__isnull=True)
        return rows

    @extend_schema(request=None, responses={200: NotificationSerializer, 404: ERRORS[404]})
    @action(detail=True, methods=["post"], url_path="read", url_name="read")
    def read(self, request, pk=None):
        """将一条通知标为已读（已读的不变）。"""
        try:
            row = services.notification_mark_read(user=request.user, notification_id=int(pk))
        except (Notification.DoesNotExist, ValueError):
            raise Http404 from None
        return Response(NotificationSerializer(row).data)

    @extend_schema(request=None, responses={200: MarkedSerializer})
    @action(detail=False, methods=["post"], url_path="read-all", url_name="read-all")
    def read_all(self, request):
        """将本人全部未读通知标为已读。"""
        return Response({"marked": services.notification_mark_all_read(user=request.user)})
