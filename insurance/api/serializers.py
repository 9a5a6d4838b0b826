"""Serializers of the insurance API. Output serializers render; the one input serializer only types
the request (a credit code, a product id, an amount as text): the services and rules say what is
wrong with the values, in Chinese, at their fields.

Status, channel and category come out as plain codes with a `*_display` label rather than enums:
other apps' serializers already name enums after `status`, and drf-spectacular warns when one name
would cover two choice sets (`--fail-on-warn`).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Policy, Quote


def _money(**kwargs):
    return serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True, read_only=True, **kwargs)


class InsuranceQuoteEnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    uscc = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class InsuranceQuoteInsurerSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    short_name = serializers.CharField(read_only=True)


class InsuranceQuoteProductSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    category = serializers.CharField(read_only=True, help_text=_("险种代码：property、safety、employer、accident、public、agri"))
    category_display = serializers.CharField(source="get_category_display", read_only=True)


class InsurancePolicyBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Policy
        fields = ["id", "policy_number", "starts_on", "ends_on", "issued_at"]
        read_only_fields = fields


class InsuranceQuoteSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True, help_text=_("报价编号"))
    enterprise = InsuranceQuoteEnterpriseSerializer(read_only=True)
    insurer = InsuranceQuoteInsurerSerializer(read_only=True)
    product = InsuranceQuoteProductSerializer(read_only=True)
    base_premium = _money(help_text=_("基础保费（元，两位小数）"))
    discount_percent = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=True, read_only=True,
                                                help_text=_("优惠比例（%，两位小数）"))
    discount_amount = _money(help_text=_("优惠金额 = 基础保费 × 优惠比例 ÷ 100，四舍五入到分"))
    net_premium = _money(help_text=_("优惠后保费 = 基础保费 − 优惠金额"))
    discount_table_effective_from = serializers.DateField(source="discount_table.effective_from", read_only=True,
                                                          help_text=_("所依据优惠标准的生效日期"))
    channel = serializers.CharField(read_only=True, help_text=_("报价渠道代码：insurer（保险公司业务员）、station（金融服务站代办）"))
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)
    station_name = serializers.CharField(source="station.name", read_only=True, allow_null=True)
    status = serializers.CharField(read_only=True, help_text=_("状态代码：quoted（已报价）、issued（已出单）、expired（已过期）"))
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    policy = serializers.SerializerMethodField(help_text=_("已出具的保单，未出单时为空"))

    class Meta:
        model = Quote
        fields = [
            "id", "number", "enterprise", "insurer", "product", "base_premium", "stars", "rating", "discount_table",
            "discount_table_effective_from", "discount_percent", "discount_amount", "net_premium", "channel",
            "channel_display", "station", "station_name", "status", "status_display", "quoted_on", "valid_until",
            "created_by_name", "created_at", "policy",
        ]
        read_only_fields = fields

    def get_policy(self, quote) -> InsurancePolicyBriefSerializer(allow_null=True):
        policy = getattr(quote, "policy", None) if quote.status == "issued" else None
        return InsurancePolicyBriefSerializer(policy).data if policy is not None else None


class InsuranceQuoteCreateSerializer(serializers.Serializer):
    enterprise = serializers.CharField(max_length=64, allow_blank=True, help_text=_("企业统一社会信用代码（18 位）"))
    product = serializers.IntegerField(min_value=1, max_value=2_147_483_647, help_text=_("保险产品编号"))
    base_premium = serializers.CharField(max_length=40, allow_blank=True,
                                         help_text=_("基础保费（元），以字符串传入，最多两位小数，如 \"12345.67\""))


class InsurancePolicySerializer(serializers.ModelSerializer):
    insurer = InsuranceQuoteInsurerSerializer(read_only=True)
    enterprise = InsuranceQuoteEnterpriseSerializer(source="quote.enterprise", read_only=True)
    product = InsuranceQuoteProductSerializer(source="quote.product", read_only=True)
    quote = serializers.IntegerField(source="quote.id", read_only=True, help_text=_("依据的报价编号（id）"))
    stars = serializers.IntegerField(source="quote.stars", read_only=True)
    base_premium = _money(source="quote.base_premium")
    discount_percent = serializers.DecimalField(source="quote.discount_percent", max_digits=5, decimal_places=2,
                                                coerce_to_string=True, read_only=True)
    discount_amount = _money(source="quote.discount_amount")
    net_premium = _money(source="quote.net_premium", help_text=_("实收保费（元）"))

    class Meta:
        model = Policy
        fields = ["id", "policy_number", "insurer", "enterprise", "product", "quote", "stars", "base_premium",
                  "discount_percent", "discount_amount", "net_premium", "starts_on", "ends_on", "issued_by_name",
                  "issued_at"]
        read_only_fields = fields
