"""Output and input shapes of the finance API. Money goes out as yuan strings with two decimals."""

from __future__ import annotations

from rest_framework import serializers

from workflow.serializers import DueFieldsMixin

from ..choices import RejectReason
from ..models import LoanApplication, LoanEvent


class MoneyField(serializers.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(max_digits=14, decimal_places=2, coerce_to_string=True, **kwargs)


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class EligibilityRatingSerializer(serializers.Serializer):
    stars = serializers.IntegerField()
    cycle = serializers.IntegerField(help_text="评定年度")
    valid_from = serializers.DateField()
    valid_to = serializers.DateField()


class EligibilityLoanSerializer(serializers.Serializer):
    quota = serializers.CharField(help_text="授信额度（元，两位小数）")
    used = serializers.CharField(help_text="已用：已批准未结清，跨全部银行")
    available = serializers.CharField()


class EligibilityInsuranceSerializer(serializers.Serializer):
    insurer = serializers.CharField()
    product = serializers.CharField()
    discount_percent = serializers.CharField()


class EligibilitySerializer(serializers.Serializer):
    uscc = serializers.CharField()
    enterprise = serializers.CharField()
    on = serializers.DateField()
    eligible = serializers.BooleanField()
    reasons = ReasonSerializer(many=True)
    rating = EligibilityRatingSerializer(allow_null=True)
    loan = EligibilityLoanSerializer()
    insurance = EligibilityInsuranceSerializer(many=True)

    @staticmethod
    def of(answer) -> dict:
        rating = answer.rating
        return {
            "uscc": answer.enterprise.uscc,
            "enterprise": answer.enterprise.name,
            "on": answer.on,
            "eligible": answer.eligible,
            "reasons": [{"code": r.code, "message": r.message} for r in answer.reasons],
            "rating": {"stars": rating.stars, "cycle": rating.cycle.year, "valid_from": rating.valid_from,
                       "valid_to": rating.valid_to} if rating.is_valid else None,
            "loan": {"quota": f"{answer.quota or 0:.2f}", "used": f"{answer.used:.2f}",
                     "available": f"{answer.available:.2f}"},
            "insurance": [{"insurer": d.insurer.short_name, "product": d.product.name,
                           "discount_percent": f"{d.discount_percent:.2f}"} for d in answer.insurance],
        }


class EligibilityBatchInputSerializer(serializers.Serializer):
    uscc = serializers.ListField(child=serializers.CharField(max_length=40, allow_blank=True), min_length=1,
                                 max_length=1000, help_text="统一社会信用代码，最多 1000 个")


class EligibilityInvalidSerializer(serializers.Serializer):
    uscc = serializers.CharField()
    message = serializers.CharField()


class EligibilityBatchSerializer(serializers.Serializer):
    results = EligibilitySerializer(many=True)
    not_found = serializers.ListField(child=serializers.CharField(), help_text="格式正确但查无此企业的代码")
    invalid = EligibilityInvalidSerializer(many=True)


class LoanEventSerializer(serializers.ModelSerializer):
    action_display = serializers.CharField(source="get_action_display")
    amount = MoneyField(allow_null=True)

    class Meta:
        model = LoanEvent
        fields = ["action", "action_display", "from_status", "to_status", "amount", "note", "actor_name", "at"]


class LoanApplicationSerializer(DueFieldsMixin, serializers.ModelSerializer):
    enterprise = serializers.SerializerMethodField()
    bank = serializers.SerializerMethodField()
    product = serializers.SerializerMethodField()
    amount = MoneyField()
    approved_amount = MoneyField(allow_null=True)
    quota = MoneyField(allow_null=True)
    status_display = serializers.CharField(source="get_status_display")
    reject_reason_display = serializers.CharField(source="get_reject_reason_display")

    class Meta:
        model = LoanApplication
        fields = ["id", "enterprise", "bank", "product", "amount", "approved_amount", "purpose", "status",
                  "status_display", "channel", "station", "reject_reason", "reject_reason_display", "reject_note",
                  "stars", "quota", "submitted_at", "accepted_at", "decided_at", "disbursed_at", "closed_at",
                  "due_on", "overdue", "version"]

    def get_enterprise(self, obj) -> dict:
        return {"id": obj.enterprise_id, "uscc": obj.enterprise.uscc, "name": obj.enterprise.name}

    def get_bank(self, obj) -> dict:
        return {"id": obj.bank_id, "name": obj.bank.short_name}

    def get_product(self, obj) -> dict:
        return {"id": obj.product_id, "name": obj.product.name, "annual_rate": str(obj.product.annual_rate),
                "term_months": obj.product.term_months}


class LoanApplicationDetailSerializer(LoanApplicationSerializer):
    blocked_by = ReasonSerializer(many=True, read_only=True, help_text="办理中的申请当前不能审批的原因")
    events = LoanEventSerializer(many=True, read_only=True)

    class Meta(LoanApplicationSerializer.Meta):
        fields = [*LoanApplicationSerializer.Meta.fields, "blocked_by", "events"]


class LoanApplicationInputSerializer(serializers.Serializer):
    enterprise = serializers.CharField(required=False, help_text="企业统一社会信用代码（企业用户可省略）")
    bank = serializers.IntegerField()
    product = serializers.IntegerField()
    amount = serializers.CharField(help_text="申请金额（元），最多两位小数")
    purpose = serializers.CharField()


class LoanStepInputSerializer(serializers.Serializer):
    amount = serializers.CharField(required=False, help_text="批准金额（approve 时必填）")
    reason = serializers.ChoiceField(choices=RejectReason.choices, required=False, help_text="不予批准原因（reject 时必填）")
    note = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, help_text="所见的版本号；他人已处理时返回 409 式的 stale 错误")
