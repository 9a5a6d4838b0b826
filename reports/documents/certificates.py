"""The two certificates: the rating certificate (评星证书) of a Party organization's published rating,
and the credit-enhancement certificate (党建增信证明) of an enterprise as of a day — its rating, quota
and insurance discounts, for the enterprise to hand to a bank.

What a certificate states is decided when it is asked for and kept in its `Certificate` row; the PDF
prints that record, so a retried or repeated run prints the same facts and the same code."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finance import rules as finance_rules
from finance.selectors import eligibility
from portal.access import has_role
from portal.choices import Role
from portal.errors import AccessDenied, DomainError
from portal.models import Region
from portal.selectors import access_enterprise
from ratings.choices import OrgKind, RatingStatus
from ratings.models import Cycle, OrgCoverage, Rating
from ratings.selectors import access_cycle, access_rating

from ..choices import ReportKind
from ..kinds import Prepared, Rendered, document_language, register
from ..models import Certificate
from ..rules import new_verification_code
from .pdf import issuer_name, render_pdf, verification_context

# Who asks for a certificate: the enterprise itself, its station, and the Party-building staff.
ISSUERS = (Role.ORG_STAFF, Role.TOWN_STAFF, Role.STATION_OPERATOR, Role.ENTERPRISE_USER)


def _check_issuer(user) -> None:
    if not has_role(user, *ISSUERS):
        raise AccessDenied(_("只有组织部、镇（街道）、金融服务站工作人员和企业本身可以申请出具证书。"))


def _parse_int(params: dict, name: str, label: str) -> int:
    try:
        return int(params.get(name))
    except (TypeError, ValueError):
        raise DomainError(_("请选择%(label)s。") % {"label": label}, field=name) from None


def _parse_day(raw, *, field: str) -> datetime.date:
    if isinstance(raw, datetime.date):
        return raw
    try:
        return datetime.date.fromisoformat(str(raw))
    except (TypeError, ValueError):
        raise DomainError(_("日期格式应为 YYYY-MM-DD。"), field=field) from None


# --- the rating certificate -------------------------------------------------------------------------


def rating_certificate_facts(rating, today: datetime.date) -> dict:
    """What a rating certificate states: the organization, the enterprises it covers today, the stars."""
    organization = rating.organization
    enterprises = [c.enterprise for c in OrgCoverage.objects.filter(
        organization=organization, started_on__lte=today).exclude(ended_on__lt=today)
        .select_related("enterprise").order_by("enterprise__name")]
    return {
        "organization": organization.name,
        # The code: the label is printed in the certificate's language (an English label in a Chinese
        # certificate was the fault of storing the label of the page it was asked from).
        "organization_kind_code": organization.kind,
        "region": organization.region.name,
        "enterprises": [{"name": e.name, "uscc": e.uscc} for e in enterprises],
        "year": rating.cycle.year,
        "stars": rating.stars,
        "score": str(rating.score) if rating.score is not None else "",
        "valid_from": rating.valid_from.isoformat() if rating.valid_from else "",
        "valid_to": rating.valid_to.isoformat() if rating.valid_to else "",
    }


def prepare_rating_certificate(*, user, params: dict) -> Prepared:
    _check_issuer(user)
    rating = access_rating(user=user, pk=_parse_int(params, "rating", _("星级评定")))
    today = timezone.localdate()
    if rating.status != RatingStatus.PUBLISHED or rating.revoked_on is not None:
        raise DomainError(_("只有已命名且未撤销的星级可以出具评星证书（当前为「%(status)s」）。")
                          % {"status": rating.get_status_display()}, field="rating", code="not_published")
    if rating.valid_to is not None and rating.valid_to < today:
        raise DomainError(_("该星级已于 %(day)s 过期，不能出具评星证书。") % {"day": rating.valid_to.isoformat()},
                          field="rating", code="expired")
    title = _("评星证书 · %(organization)s · %(year)s年度") % {"organization": rating.organization.name,
                                                            "year": rating.cycle.year}
    return Prepared(params={"rating": rating.pk, "lang": document_language()}, title=title, certificate_facts=rating_certificate_facts(rating, today),
                    as_of=today, subject={"rating": rating, "organization": rating.organization})


def organization_kind_label(facts: dict) -> str:
    """The organization's kind in the active language; a certificate issued before the code was kept
    has only the label it was issued with."""
    code = facts.get("organization_kind_code")
    if code in OrgKind.values:
        return str(OrgKind(code).label)
    return facts.get("organization_kind", "")


def _rating_certificate_pdf(certificate) -> bytes:
    return render_pdf("reports/pdf/rating_certificate.html",
                      {"facts": certificate.facts, "certificate": certificate, "issuer": issuer_name(),
                       "organization_kind": organization_kind_label(certificate.facts),
                       **verification_context(certificate.code)})


def render_rating_certificate(report, progress) -> Rendered:
    certificate = report.certificate
    progress(40, _("排版证书"))
    return Rendered(f"rating-certificate-{certificate.code}.pdf", _rating_certificate_pdf(certificate))


# --- the credit-enhancement certificate -------------------------------------------------------------


def prepare_credit_certificate(*, user, params: dict) -> Prepared:
    _check_issuer(user)
    enterprise = access_enterprise(user=user, pk=_parse_int(params, "enterprise", _("企业")))
    today = timezone.localdate()
    as_of = _parse_day(params.get("as_of") or today, field="as_of")
    if as_of > today:
        raise DomainError(_("证明日期不能晚于今天。"), field="as_of")
    answer = eligibility(enterprise, on=as_of)
    if not answer.rating.is_valid:
        raise DomainError(_("该企业在 %(day)s 没有有效星级（%(why)s），不能出具党建增信证明。")
                          % {"day": as_of.isoformat(), "why": answer.rating.message}, field="enterprise",
                          code=answer.rating.standing)
    rating = answer.rating.rating
    facts = {
        "enterprise": enterprise.name,
        "uscc": enterprise.uscc,
        "organization": answer.rating.organization.name,
        "year": rating.cycle.year,
        "stars": rating.stars,
        "valid_from": rating.valid_from.isoformat() if rating.valid_from else "",
        "valid_to": rating.valid_to.isoformat() if rating.valid_to else "",
        "quota": str(answer.quota) if answer.quota is not None else "",
        "quota_text": finance_rules.yuan(answer.quota) if answer.quota is not None else "",
        "used_text": finance_rules.yuan(answer.used),
        "available_text": finance_rules.yuan(answer.available) if answer.quota is not None else "",
        "discounts": [{"insurer": str(d.insurer), "product": d.product.name, "percent": str(d.discount_percent)}
                      for d in answer.insurance],
    }
    title = _("党建增信证明 · %(enterprise)s · %(day)s") % {"enterprise": enterprise.name, "day": as_of.isoformat()}
    return Prepared(params={"enterprise": enterprise.pk, "as_of": as_of.isoformat(), "lang": document_language()},
                    title=title,
                    certificate_facts=facts, as_of=as_of,
                    subject={"rating": rating, "organization": answer.rating.organization, "enterprise": enterprise})


def discount_rows(discounts: list[dict]) -> list[dict]:
    """The insurance discounts one row per insurer (its products together, the discount or its range), so
    that the certificate stays on one page however many products the insurers offer."""
    by_insurer: dict[str, list[dict]] = {}
    for row in discounts:
        by_insurer.setdefault(row["insurer"], []).append(row)
    rows = []
    for insurer, offered in by_insurer.items():
        percents = sorted({Decimal(row["percent"]) for row in offered})
        low, high = f"{percents[0]}%", f"{percents[-1]}%"
        rows.append({"insurer": insurer, "products": _("、").join(row["product"] for row in offered),
                     "percent": low if low == high else f"{low}–{high}"})
    return rows


def render_credit_certificate(report, progress) -> Rendered:
    certificate = report.certificate
    progress(40, _("排版证明"))
    content = render_pdf("reports/pdf/credit_certificate.html",
                         {"facts": certificate.facts, "certificate": certificate, "issuer": issuer_name(),
                          "discounts": discount_rows(certificate.facts.get("discounts") or []),
                          **verification_context(certificate.code)})
    return Rendered(f"credit-certificate-{certificate.code}.pdf", content)


# --- all certificates of a cycle, as one ZIP ---------------------------------------------------------


# Each certificate is made by one of many small tasks and stored as it is made, and the ZIP is written
# from those files to a temporary file (reports.batches): neither time nor memory grows with the batch in
# one run. What bounds it is the ZIP's size (about 0.25 MB a certificate: 5 GB at this many).
BATCH_MAX = 20_000


def _batch_ratings(cycle, today, region=None):
    ratings = (Rating.objects.filter(cycle=cycle, status=RatingStatus.PUBLISHED, revoked_on__isnull=True)
               .exclude(valid_to__lt=today))
    if region is not None:
        ratings = ratings.filter(organization__region__code__startswith=region.prefix)
    return ratings.select_related("cycle", "organization__region").order_by("organization__name")


def _batch_region(params: dict):
    raw = params.get("region")
    if raw in (None, ""):
        return None
    try:
        return Region.objects.exclude(level="village").get(pk=int(raw))
    except (Region.DoesNotExist, TypeError, ValueError):
        raise DomainError(_("请选择镇（街道）或全市。"), field="region") from None


def prepare_certificate_batch(*, user, params: dict) -> Prepared:
    if not has_role(user, Role.ORG_STAFF):
        raise AccessDenied(_("批量打包评星证书由组织部（两新工委）工作人员办理。"))
    cycle = access_cycle(user=user, pk=_parse_int(params, "cycle", _("评定周期")))
    region = _batch_region(params)
    today = timezone.localdate()
    count = _batch_ratings(cycle, today, region).count()
    if count == 0:
        raise DomainError(_("%(year)s年度没有已命名且有效的星级，无证书可打包。") % {"year": cycle.year}, field="cycle")
    if count > BATCH_MAX:
        raise DomainError(_("共 %(count)s 份证书，超过一次打包的上限 %(max)s 份，请按镇（街道）分批打包。")
                          % {"count": count, "max": BATCH_MAX}, field="region", code="too_many")
    title = _("评星证书批量打包 · %(year)s年度 · %(area)s（%(count)s份） · %(day)s") % {
        "year": cycle.year, "area": region.name if region else _("全市"), "count": count, "day": today.isoformat()}
    # The day is part of the parameters: asked again tomorrow, the batch reflects tomorrow's ratings.
    return Prepared(params={"cycle": cycle.pk, "region": region.pk if region else None, "day": today.isoformat(),
                            "lang": document_language()}, title=title)


def _batch_certificate(report, rating, day) -> Certificate:
    """The batch's certificate of this rating, issued now — or the one another run of the same batch
    issued a moment ago (a run that lost the report to a new one and has not noticed yet): one per
    rating and batch, whichever run got there first."""
    try:
        with transaction.atomic():
            return Certificate.objects.create(
                code=new_verification_code(), kind=ReportKind.RATING_CERTIFICATE, report=report, rating=rating,
                organization=rating.organization, as_of=day, facts=rating_certificate_facts(rating, day))
    except IntegrityError:
        return Certificate.objects.get(report=report, rating=rating)


def batch_day(report) -> datetime.date:
    return datetime.date.fromisoformat(report.params["day"])


def batch_rating_ids(report) -> list[int]:
    """The ratings the batch covers, in the ZIP's order (by organization)."""
    region_pk = report.params.get("region")
    region = Region.objects.get(pk=region_pk) if region_pk else None
    ratings = _batch_ratings(Cycle.objects.get(pk=report.params["cycle"]), batch_day(report), region)
    return list(ratings.values_list("pk", flat=True))


def batch_certificate_pdf(report, rating) -> tuple[Certificate, bytes | None]:
    """The batch's certificate of this rating (issued now, or the one issued before: the codes stay) and
    its PDF, or None when the PDF is already stored."""
    certificate = (Certificate.objects.filter(report=report, rating=rating).first()
                   or _batch_certificate(report, rating, batch_day(report)))
    if certificate.file:
        return certificate, None
    return certificate, _rating_certificate_pdf(certificate)


def batch_member_name(certificate) -> str:
    return f"{certificate.rating.cycle.year}-{certificate.organization.name}-{certificate.code}.pdf"


def batch_filename(report) -> str:
    return f"rating-certificates-{report.params['cycle']}-{report.params['day']}.zip"


# The certificate batch registers in reports.batches, which hands its work out to many tasks.
register(ReportKind.RATING_CERTIFICATE, prepare=prepare_rating_certificate, render=render_rating_certificate)
register(ReportKind.CREDIT_CERTIFICATE, prepare=prepare_credit_certificate, render=render_credit_certificate)
