"""The ratings' REST API: read-only adapters over the ratings selectors, in the registry API's style
(portal/api/views.py). A row outside the user's scope is not found (404); a role with no right on
ratings at all (bank and insurer officers, cadres) is refused (403)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from portal import selectors as registry
from portal.api.views import ERRORS, ReadOnlyRegistryViewSet

from .. import selectors
from ..filtersets import OrganizationFilterSet, RatingFilterSet
from ..models import OrgCoverage, PartyOrganization, Rating
from .serializers import PartyOrganizationSerializer, RatingDetailSerializer, RatingSerializer

LIST_ERRORS = {400: ERRORS[400], 403: ERRORS[403]}


class OrderedReadOnlyViewSet(ReadOnlyRegistryViewSet):
    """The model's default order, said again: the selectors annotate counts, and Django drops
    `Meta.ordering` from a GROUP BY query, which would leave the pages in no stable order."""

    def get_queryset(self):
        return super().get_queryset().order_by(*self.scope_model._meta.ordering)


@extend_schema(tags=["星级评定"])
@extend_schema_view(
    list=extend_schema(responses={200: RatingSerializer(many=True), **LIST_ERRORS}),
    retrieve=extend_schema(responses={200: RatingDetailSerializer, 403: ERRORS[403], 404: ERRORS[404]}),
)
class RatingViewSet(OrderedReadOnlyViewSet):
    """党组织星级评定：每个评定周期一条，含状态、得分、星级、公示期与有效期。"""

    scope_model = Rating
    selector = staticmethod(selectors.rating_list)
    serializer_class = RatingSerializer
    filterset_class = RatingFilterSet

    def get_serializer_class(self):
        return RatingDetailSerializer if self.action == "retrieve" else RatingSerializer

    def get_object(self):
        # Not through the list's filters: a detail is found by its id alone, within the scope.
        return selectors.access_rating(user=self.request.user, pk=self.kwargs["pk"])


@extend_schema(tags=["党组织"])
@extend_schema_view(
    list=extend_schema(responses={200: PartyOrganizationSerializer(many=True), **LIST_ERRORS}),
    retrieve=extend_schema(responses={200: PartyOrganizationSerializer, 403: ERRORS[403], 404: ERRORS[404]}),
)
class PartyOrganizationViewSet(OrderedReadOnlyViewSet):
    """非公企业党组织，含当前覆盖的企业。"""

    scope_model = PartyOrganization
    selector = staticmethod(selectors.organization_list)
    serializer_class = PartyOrganizationSerializer
    filterset_class = OrganizationFilterSet

    def _current_coverages(self) -> Prefetch:
        # Only the enterprises the user may see: a joint branch covers several, and an enterprise's
        # own user, for one, may not see the others (the enterprise registry's scope).
        visible = registry.enterprise_list(user=self.request.user).values("pk")
        coverages = (OrgCoverage.objects.filter(ended_on__isnull=True, enterprise__in=visible)
                     .select_related("enterprise").order_by("enterprise__name", "pk"))
        return Prefetch("coverages", queryset=coverages, to_attr="current_coverages")

    def get_queryset(self):
        return super().get_queryset().prefetch_related(self._current_coverages())

    def get_object(self):
        organization = selectors.access_organization(user=self.request.user, pk=self.kwargs["pk"])
        coverages = self._current_coverages()
        organization.current_coverages = list(coverages.queryset.filter(organization=organization))
        return organization

    @extend_schema(
        operation_id="v1_party_organizations_ratings_list",
        summary=gettext_lazy("党组织历年的星级评定"),
        description=gettext_lazy("按评定年度由近及远，不分页。"),
        responses={200: OpenApiResponse(RatingSerializer(many=True), description=gettext_lazy("历年评定")),
                   403: ERRORS[403], 404: ERRORS[404]},
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=())
    def ratings(self, request, pk=None):
        organization = selectors.access_organization(user=request.user, pk=pk)
        history = selectors.organization_history(organization)
        return Response(RatingSerializer(history, many=True).data)
