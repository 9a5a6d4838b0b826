"""The insurance REST API: thin adapters over the insurance selectors and services, in the registry
API's style (portal/api/views.py). A row outside the user's scope is not found (404); a role with no
right on quotes at all (bank officers, cadres, the administrator) is refused (403). Bad input is a
400 with a Chinese message at each field, and writes nothing."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from apikeys.scopes import INSURANCE_QUOTE, INSURANCE_READ
from portal.api.views import ERRORS, RegistryViewSet, validated
from portal.errors import DomainError

from .. import selectors, services
from ..filtersets import PolicyFilterSet, QuoteFilterSet
from ..models import Policy, Quote
from .serializers import InsurancePolicySerializer, InsuranceQuoteCreateSerializer, InsuranceQuoteSerializer

LIST_ERRORS = {400: ERRORS[400], 403: ERRORS[403]}
DETAIL_ERRORS = {403: ERRORS[403], 404: ERRORS[404]}


@extend_schema(tags=["保险报价"])
@extend_schema_view(
    list=extend_schema(responses={200: InsuranceQuoteSerializer(many=True), **LIST_ERRORS}),
    retrieve=extend_schema(responses={200: InsuranceQuoteSerializer, **DETAIL_ERRORS}),
    create=extend_schema(request=InsuranceQuoteCreateSerializer,
                         responses={201: InsuranceQuoteSerializer, 400: ERRORS[400], 403: ERRORS[403]}),
)
class QuoteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegistryViewSet):
    """党建保险报价：基础保费、按企业当日星级与现行优惠标准计算的优惠及优惠后保费。保险公司业务员只能看到本公司的报价。"""

    scope_model = Quote
    key_scope = {"list": INSURANCE_READ, "retrieve": INSURANCE_READ, "create": INSURANCE_QUOTE}
    selector = staticmethod(selectors.quote_list)
    serializer_class = InsuranceQuoteSerializer
    filterset_class = QuoteFilterSet

    def get_object(self):
        return selectors.access_quote(user=self.request.user, pk=self.kwargs["pk"])

    def create(self, request):
        values = validated(InsuranceQuoteCreateSerializer(data=request.data))
        errors: dict[str, list[str]] = {}
        enterprise = product = None
        try:
            enterprise = selectors.find_quotable_enterprise(user=request.user, raw_code=values["enterprise"])
        except DomainError as error:
            errors.update(error.errors)
        product = selectors.product_list(user=request.user).filter(pk=values["product"]).first()
        if product is None:
            errors["product"] = [_("没有编号为 %(n)s 的保险产品。") % {"n": values["product"]}]
        if errors:
            raise DomainError(next(iter(errors.values()))[0] if len(errors) == 1 else _("请更正标出的错误。"),
                              errors=errors)
        quote = services.quote_create(acting_user=request.user, enterprise=enterprise, product=product,
                                      base_premium=values["base_premium"])
        quote = selectors.access_quote(user=request.user, pk=quote.pk)
        return Response(InsuranceQuoteSerializer(quote).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["保单"])
@extend_schema_view(
    list=extend_schema(responses={200: InsurancePolicySerializer(many=True), **LIST_ERRORS}),
    retrieve=extend_schema(responses={200: InsurancePolicySerializer, **DETAIL_ERRORS}),
)
class PolicyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegistryViewSet):
    """依据党建保险报价出具的保单。保险公司业务员只能看到本公司的保单。"""

    scope_model = Policy
    key_scope = INSURANCE_READ
    selector = staticmethod(selectors.policy_list)
    serializer_class = InsurancePolicySerializer
    filterset_class = PolicyFilterSet

    def get_object(self):
        return selectors.access_policy(user=self.request.user, pk=self.kwargs["pk"])
