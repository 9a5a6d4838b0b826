"""The finance API: the banks' and insurers' eligibility lookup, and loan applications with their
steps. Thin adapters over the finance selectors and services."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apikeys.permissions import HasKeyScope
from apikeys.scopes import ELIGIBILITY_READ, FEEDBACK_REPORT, LOAN_APPLICATIONS
from portal.access import has_role, user_assignments
from portal.api.views import AUTHENTICATION_CLASSES, ERRORS, FilterBackend, RegistryViewSet, validated
from portal.choices import Role
from portal.errors import DomainError
from portal.models import Enterprise, Institution
from portal.rules import check_uscc

from .. import selectors, services
from ..filtersets import LoanApplicationFilterSet
from ..models import LoanApplication, LoanProduct
from ..services.lookups import eligibility_lookups_record
from .serializers import (
    EligibilityBatchInputSerializer,
    EligibilityBatchSerializer,
    EligibilitySerializer,
    LoanApplicationDetailSerializer,
    LoanApplicationInputSerializer,
    LoanApplicationSerializer,
    LoanStepInputSerializer,
)

ANSWER_FIELDS = ("pk", "uscc", "name")  # what an eligibility answer and its audit row read of the enterprise


def _audit_lookups(user, enterprises) -> None:
    """Banks' and insurers' lookups are audited, every one. Where the flush runs (Redis and a beat:
    PORTAL_DEFER_LOOKUP_AUDIT), by one plain INSERT per call that the audit chain takes in bulk
    (finance.models.lookups); in the embedded mode straight into the chain."""
    if not has_role(user, Role.BANK_OFFICER, Role.INSURER_OFFICER):
        return
    eligibility_lookups_record(acting_user=user, enterprises=enterprises, deferred=settings.PORTAL_DEFER_LOOKUP_AUDIT)


@extend_schema(
    tags=["党建增信"],
    parameters=[OpenApiParameter("uscc", str, OpenApiParameter.PATH, description="统一社会信用代码（18 位）")],
    responses={200: EligibilitySerializer, 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404]},
)
class EligibilityApi(APIView):
    """企业党建增信资格：所依据的星级、授信额度、已用与可用额度（跨全部银行）、各保险产品的保费优惠；
    不符合条件时逐条说明原因。银行、保险公司的每次查询均记入审计日志。"""

    authentication_classes = AUTHENTICATION_CLASSES
    permission_classes = (HasKeyScope, IsAuthenticated)
    key_scope = ELIGIBILITY_READ

    def get(self, request, uscc):
        if not selectors.can_look_up(request.user):
            raise PermissionDenied(_("您没有查询党建增信资格的权限。"))
        result = check_uscc(uscc)
        if not result.ok:
            raise DomainError(result.error, field="uscc")
        # The columns the answer and its audit row use; the code is unique, so no ordering is needed.
        found = selectors.with_credit_used(selectors.lookup_scope(user=request.user)).only(*ANSWER_FIELDS).filter(
            uscc=result.value)[:1]
        if not found:
            raise Http404
        enterprise = found[0]
        answer = selectors.eligibility(enterprise, policies_max_age=settings.PORTAL_API_POLICY_CACHE_SECONDS)
        _audit_lookups(request.user, [enterprise])
        # The serializer's own output, without its per-field walk: `of` already gives the final values.
        return Response(EligibilitySerializer.of(answer))


@extend_schema(
    tags=["党建增信"],
    request=EligibilityBatchInputSerializer,
    responses={200: EligibilityBatchSerializer, 400: ERRORS[400], 403: ERRORS[403]},
)
class EligibilityBatchApi(APIView):
    """批量查询党建增信资格：一次最多 1000 个统一社会信用代码，答案与单个查询相同，按所给顺序返回；
    格式不对的代码在 invalid 中说明，查无此企业的在 not_found 中列出。每个查到的企业均记入审计日志。"""

    authentication_classes = AUTHENTICATION_CLASSES
    permission_classes = (HasKeyScope, IsAuthenticated)
    key_scope = ELIGIBILITY_READ

    def post(self, request):
        if not selectors.can_look_up(request.user):
            raise PermissionDenied(_("您没有查询党建增信资格的权限。"))
        codes = validated(EligibilityBatchInputSerializer(data=request.data))["uscc"]
        wanted, invalid = [], []
        for code in codes:
            result = check_uscc(code)
            if result.ok:
                wanted.append(result.value)
            else:
                invalid.append({"uscc": code, "message": str(result.error)})
        wanted = list(dict.fromkeys(wanted))
        found = {e.uscc: e for e in selectors.with_credit_used(selectors.lookup_scope(user=request.user))
                 .only(*ANSWER_FIELDS).filter(uscc__in=wanted)}
        enterprises = [found[code] for code in wanted if code in found]
        answers = selectors.eligibility_for(enterprises, policies_max_age=settings.PORTAL_API_POLICY_CACHE_SECONDS)
        _audit_lookups(request.user, enterprises)
        return Response({
            "results": [EligibilitySerializer.of(answers[e.pk]) for e in enterprises],
            "not_found": [code for code in wanted if code not in found],
            "invalid": invalid,
        })


def _step_schema():
    return extend_schema(operation_id="v1_loan_applications_step", request=LoanStepInputSerializer,
                         responses={200: LoanApplicationDetailSerializer, 400: ERRORS[400], 403: ERRORS[403],
                                    404: ERRORS[404]})


@extend_schema(tags=["贷款申请"])
@extend_schema_view(
    list=extend_schema(responses={200: LoanApplicationSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]}),
    retrieve=extend_schema(responses={200: LoanApplicationDetailSerializer, 404: ERRORS[404]}),
    create=extend_schema(request=LoanApplicationInputSerializer,
                         responses={201: LoanApplicationDetailSerializer, 400: ERRORS[400], 403: ERRORS[403]}),
)
class LoanApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegistryViewSet):
    """党建增信贷款申请：服务站或企业提交，银行受理、审批、放款、结清；银行只能看到向本行提出的申请。"""

    scope_model = LoanApplication
    key_scope = {"list": LOAN_APPLICATIONS, "retrieve": LOAN_APPLICATIONS, "create": LOAN_APPLICATIONS,
                 "step": FEEDBACK_REPORT}
    selector = staticmethod(selectors.loan_application_list)
    serializer_class = LoanApplicationSerializer
    filterset_class = LoanApplicationFilterSet
    filter_backends = (FilterBackend,)

    def get_object(self):
        return selectors.access_loan_application(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, application, status=200):
        application.blocked_by = selectors.in_flight_reasons([application]).get(application.pk, [])
        return Response(LoanApplicationDetailSerializer(application).data, status=status)

    def retrieve(self, request, pk=None):
        return self._detail(self.get_object())

    def create(self, request):
        data = validated(LoanApplicationInputSerializer(data=request.data))
        own = next((a.enterprise for a in user_assignments(request.user) if a.role == Role.ENTERPRISE_USER), None)
        enterprise = own
        if data.get("enterprise") or own is None:
            result = check_uscc(data.get("enterprise", ""))
            if not result.ok:
                raise DomainError(result.error, field="enterprise")
            enterprise = Enterprise.objects.restrict(request.user, "view").filter(uscc=result.value).first()
            if enterprise is None:
                raise DomainError(_("没有找到信用代码为 %(c)s 的企业。") % {"c": result.value}, field="enterprise")
        application = services.loan_application_submit(
            acting_user=request.user, enterprise=enterprise,
            bank=Institution.objects.filter(pk=data["bank"]).first(),
            product=LoanProduct.objects.filter(pk=data["product"]).first(),
            amount=data["amount"], purpose=data["purpose"])
        return self._detail(selectors.access_loan_application(user=request.user, pk=application.pk), status=201)

    @_step_schema()
    @action(detail=True, methods=["post"], url_path=r"(?P<step>accept|approve|reject|disburse|repay|withdraw)",
            url_name="step", filter_backends=(), pagination_class=None)
    def step(self, request, pk=None, step=None):
        """办理一步：accept 受理、approve 审批（amount）、reject 不予批准（reason）、disburse 放款、repay 结清、
        withdraw 撤回。当前状态或角色不允许时返回 4xx 及原因。"""
        application = self.get_object()
        data = validated(LoanStepInputSerializer(data=request.data))
        application = services.loan_application_act(
            acting_user=request.user, application=application, action=step,
            expected_version=data.get("version"), amount=data.get("amount"), reason=data.get("reason", ""),
            note=data.get("note", ""))
        return self._detail(selectors.access_loan_application(user=request.user, pk=application.pk))

