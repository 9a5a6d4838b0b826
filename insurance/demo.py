"""Demo data of 党建+保险 (step `insurance.quotes`, after the ratings): two to four products per
insurer, the default discount table (1★ 10% … 5★ 30%) in force since 2019-01-01, and about 150
quotes (at city scale) for enterprises whose rating was valid on the quote's day, about 60 % of them
issued as policies.

The table and the products go through the services. The quotes are written in bulk, priced by the
same pure rules the service uses (rules.net_premium under the table in force that day, the stars of
`ratings.selectors.enterprise_ratings` on that day): as with the ratings' history, walking each one
through the services would need an acting officer for every insurer and station.

Historic quotes fall between February and November of 2020–2025 (DEMO_TODAY fixes them), and of the
current year up to three weeks before the real date; those not issued have expired. A few quotes are still open: made in the last days before the real date, like
the ratings' live cycle, so that the demo insurer account has quotes to issue and the station
account one it made. This is the one place the step depends on the real date.
"""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

from django.utils import timezone

from portal.accounts import display_name
from portal.demo import DEMO_TODAY, SeedContext, register_step
from ratings.selectors import enterprise_ratings

from . import rules, services
from .choices import ProductCategory, QuoteChannel, QuoteStatus
from .models import InsuranceProduct, Policy, Quote

C = ProductCategory
TABLE_FROM = datetime.date(2019, 1, 1)
TABLE_NOTE = "星湖市“党建+保险”工作实施方案：按党组织星级给予保费优惠"
# By insurer code: (name, category, description). Two to four each.
PRODUCTS = {
    "I01": (("党建惠企安全生产责任险", C.SAFETY_LIABILITY, "高危行业企业安全生产责任保险，含事故预防服务"),
            ("企业财产综合险", C.PROPERTY, "厂房、机器设备、存货的火灾及自然灾害损失"),
            ("雇主责任险", C.EMPLOYER_LIABILITY, "员工因工伤亡的医疗费用及经济赔偿责任")),
    "I02": (("星级企业财产一切险", C.PROPERTY, "财产一切险，星级企业享受保费优惠"),
            ("团体意外伤害保险", C.GROUP_ACCIDENT, "员工意外身故、伤残及医疗")),
    "I03": (("安全生产责任保险", C.SAFETY_LIABILITY, "依法须投保的安全生产责任保险"),
            ("雇主责任险（小微企业版）", C.EMPLOYER_LIABILITY, "按人数投保，适合小微企业"),
            ("公众责任险", C.PUBLIC_LIABILITY, "经营场所第三者人身伤亡及财产损失")),
    "I04": (("农业产业化保险", C.AGRICULTURE, "农民专业合作社、家庭农场的种养殖保险"),
            ("企业财产基本险", C.PROPERTY, "火灾、爆炸、雷击等基本风险")),
    "I05": (("团体意外险（党建版）", C.GROUP_ACCIDENT, "员工意外伤害保障"),
            ("雇主责任保险", C.EMPLOYER_LIABILITY, "工伤赔偿责任的补充保障"),
            ("企业财产综合险", C.PROPERTY, "财产综合险"),
            ("安全生产责任保险", C.SAFETY_LIABILITY, "安全生产责任保险")),
}
FALLBACK_PRODUCTS = PRODUCTS["I02"]
# Base premium ranges by category, in yuan.
PREMIUMS = {C.PROPERTY: (3_000, 60_000), C.SAFETY_LIABILITY: (2_000, 30_000), C.EMPLOYER_LIABILITY: (5_000, 80_000),
            C.GROUP_ACCIDENT: (1_000, 20_000), C.PUBLIC_LIABILITY: (1_500, 15_000), C.AGRICULTURE: (500, 8_000)}
CITY_ENTERPRISES = 3_000
QUOTES = 150  # at city scale
ISSUED_SHARE = 0.6
STATION_SHARE = 0.3
OPEN_QUOTES = 6  # the demo insurer's, still to be issued
OPEN_WITHIN = datetime.timedelta(days=12)  # before the real date
ISSUE_WITHIN = datetime.timedelta(days=10)  # from a quote to its policy
SAMPLE = 60  # enterprises asked about per year, at city scale
SAMPLE_MAX = 400  # and at most, however big the world
FIRST_YEAR, LAST_YEAR = 2020, DEMO_TODAY.year - 1


def _at(day: datetime.date, seconds: int) -> datetime.datetime:
    midnight = datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_default_timezone())
    return midnight + datetime.timedelta(seconds=seconds)


def _office_moment(rng, day: datetime.date) -> datetime.datetime:
    return _at(day, rng.randint(8 * 3600 + 1800, 17 * 3600 + 1800))


def _valid_through(ids, first: datetime.date, last: datetime.date) -> dict:
    """The enterprises (of `ids`) whose rating is valid on every day from `first` to `last`, with that
    rating's answer. Two questions to the ratings' selector, not one a day: a rating valid on both
    ends is valid in between, since only a publication (a newer rating on the last day) or a
    revocation or expiry (not valid on the last day) changes an enterprise's standing."""
    ids = list(ids)
    at_first, at_last = enterprise_ratings(ids, on=first), enterprise_ratings(ids, on=last)
    return {pk: at_first[pk] for pk in ids if at_first[pk].is_valid and at_last[pk].is_valid
            and at_first[pk].rating.pk == at_last[pk].rating.pk}


class _Stations:
    """The stations by what they serve: a park, or a region and everything under it."""

    def __init__(self, stations):
        self.by_park, self.by_prefix = {}, {}
        for station in sorted(stations, key=lambda s: s.code):
            if station.park_id:
                self.by_park.setdefault(station.park_id, station)
            else:
                self.by_prefix.setdefault(station.region.prefix, station)

    def most_local(self, enterprise):
        """The station an enterprise would walk into: its park's, else its village's, town's or city's."""
        if enterprise.park_id in self.by_park:
            return self.by_park[enterprise.park_id]
        code = enterprise.region.code
        for width in (12, 9, 6):
            if code[:width] in self.by_prefix:
                return self.by_prefix[code[:width]]
        return None


def serves(station, enterprise) -> bool:
    """ServiceStation.enterprise_q, in memory."""
    if station.park_id:
        return enterprise.park_id == station.park_id
    return enterprise.region.code.startswith(station.region.prefix)


def _premium(rng, category) -> Decimal:
    low, high = PREMIUMS[category]
    return Decimal(rng.randint(low * 100, high * 100)).scaleb(-2)


def _sample(rng, ids: list, size: int, keep=None) -> list:
    chosen = rng.sample(ids, min(size, len(ids)))
    if keep is not None and keep in ids and keep not in chosen:
        chosen[0] = keep
    return sorted(chosen)


@register_step(name="insurance.quotes", label="党建+保险")
def seed_insurance(ctx: SeedContext) -> None:
    rng = ctx.rng
    orgstaff = ctx.users["orgstaff"]
    insurer_user = ctx.users.get("insurer")
    station_user = ctx.users.get("station")
    demo_insurer = ctx.insurers[0] if ctx.insurers else None
    station_of_user = None
    if station_user is not None:
        station_of_user = next(a.station for a in station_user.role_assignments.select_related("station__region"))

    # The table and the products, through the services (with their audit rows), dated back.
    table = services.discount_table_create(acting_user=orgstaff, effective_from=TABLE_FROM,
                                           rates=rules.DEFAULT_DISCOUNTS, note=TABLE_NOTE, today=TABLE_FROM)
    type(table).objects.filter(pk=table.pk).update(created_at=_at(datetime.date(2018, 12, 20), 10 * 3600))
    rates = rules.check_discount_table(rules.DEFAULT_DISCOUNTS)
    products = []
    for insurer in ctx.insurers:
        for name, category, description in PRODUCTS.get(insurer.code, FALLBACK_PRODUCTS):
            products.append(services.product_create(acting_user=orgstaff, insurer=insurer, name=name,
                                                    category=category, description=description))
    InsuranceProduct.objects.filter(pk__in=[p.pk for p in products]).update(
        created_at=_at(datetime.date(2019, 1, 8), 10 * 3600), updated_at=_at(datetime.date(2019, 1, 8), 10 * 3600))

    # Who can have a quote: the enterprises covered by a Party organization (the ratings' step says
    # which) whose rating, as the ratings' selector answers, holds from the quote to its policy.
    covered = ctx.extra.get("ratings", {}).get("organization_of", {})
    enterprises = {e.pk: e for e in ctx.enterprises if e.pk in covered}
    ids = sorted(enterprises)
    demo_enterprise = ctx.extra.get("ratings", {}).get("demo_enterprise")
    demo_pk = demo_enterprise.pk if demo_enterprise is not None else None
    stations = _Stations([s for s in ctx.stations if s.is_active])
    factor = ctx.scale.enterprises / CITY_ENTERPRISES
    total = max(10, round(QUOTES * factor))
    sample = min(SAMPLE_MAX, max(20, round(SAMPLE * factor)))
    today = timezone.localdate()
    # The years before DEMO_TODAY, and the current one up to a few weeks ago, so that this year's
    # figures (the leaders' dashboard defaults to them) are not empty.
    years = list(range(FIRST_YEAR, max(LAST_YEAR, today.year) + 1))

    plans = []  # (day, enterprise, product, station or None, issued?, rating answer)
    for n, year in enumerate(years):
        # Quotes from February to November, policies within ten days: inside one rating's year.
        first, last = datetime.date(year, 2, 1), datetime.date(year, 11, 30)
        if year > LAST_YEAR:
            last = min(last, today - OPEN_WITHIN - ISSUE_WITHIN)
            if last < first:
                continue
        valid = _valid_through(_sample(rng, ids, sample, keep=demo_pk), first, last + ISSUE_WITHIN)
        historic = LAST_YEAR - FIRST_YEAR + 1  # `total` is theirs; the current year adds its share so far
        if year <= LAST_YEAR:
            count = total // historic + (n < total % historic)
        else:
            count = round(total / historic * (last - first).days / 302)
        candidates = sorted(valid)
        for k in range(count if valid else 0):
            # The demo enterprise has a few, so that its own page shows some.
            pk = demo_pk if demo_pk in valid and k % 13 == 0 else rng.choice(candidates)
            day = first + datetime.timedelta(days=rng.randrange((last - first).days + 1))
            station = stations.most_local(enterprises[pk]) if rng.random() < STATION_SHARE else None
            plans.append((day, enterprises[pk], rng.choice(products), station, rng.random() < ISSUED_SHARE, valid[pk]))

    if demo_insurer is not None and ids:
        # Still open: made in the last days, by the demo insurer (and one by the demo station).
        since = today - OPEN_WITHIN
        valid = _valid_through(_sample(rng, ids, sample, keep=demo_pk), since, today)
        local = [pk for pk in ids if station_of_user is not None and serves(station_of_user, enterprises[pk])]
        valid_local = _valid_through(_sample(rng, local, sample), since, today) if local else {}
        own = [p for p in products if p.insurer_id == demo_insurer.pk]
        candidates = sorted(valid)
        for n in range(OPEN_QUOTES if candidates and own else 0):
            pk = demo_pk if n == 0 and demo_pk in valid else rng.choice(candidates)
            day = since + datetime.timedelta(days=rng.randint(0, OPEN_WITHIN.days))
            plans.append((day, enterprises[pk], rng.choice(own), None, False, valid[pk]))
        if valid_local:
            pk = rng.choice(sorted(valid_local))
            day = since + datetime.timedelta(days=rng.randint(0, OPEN_WITHIN.days))
            plans.append((day, enterprises[pk], rng.choice(products), station_of_user, False, valid_local[pk]))

    quotes, moments, issue_plans = [], [], []
    for day, enterprise, product, station, issue, answer in sorted(plans, key=lambda p: (p[0], p[1].pk)):
        premium = rules.net_premium(_premium(rng, product.category), rules.premium_discount(answer.stars, rates))
        if station is not None:
            channel = QuoteChannel.STATION
            by = station_user if station_user is not None and station == station_of_user else None
            by_name = display_name(by) if by else station.name
        else:
            channel = QuoteChannel.INSURER
            by = insurer_user if product.insurer_id == getattr(demo_insurer, "pk", None) else None
            by_name = display_name(by) if by else f"{product.insurer.short_name}客户经理"
        valid_until = rules.quote_valid_until(day)
        quotes.append(Quote(
            enterprise=enterprise, insurer=product.insurer, product=product, base_premium=premium.base,
            stars=answer.stars, rating=answer.rating, discount_table=table, discount_percent=premium.rate_percent,
            discount_amount=premium.discount, net_premium=premium.net, channel=channel, station=station,
            status=QuoteStatus.ISSUED if issue else (QuoteStatus.EXPIRED if valid_until < today else QuoteStatus.QUOTED),
            quoted_on=day, valid_until=valid_until, created_by=by, created_by_name=by_name,
        ))
        moments.append(_office_moment(rng, day))
        issue_plans.append(issue)
    Quote.objects.bulk_create(quotes, batch_size=ctx.scale.batch_size)
    for quote, moment in zip(quotes, moments, strict=True):
        quote.created_at = quote.updated_at = moment

    policies = []
    # The service's one format, numbered per insurer and year so that two runs make the same data. The
    # serials stay below any quote made later, whose id the service numbers it by: no clash.
    serial = Counter()
    for quote, moment, issue in zip(quotes, moments, issue_plans, strict=True):
        if not issue:
            continue
        issued_on = quote.quoted_on + datetime.timedelta(days=rng.randint(0, ISSUE_WITHIN.days))
        starts_on = issued_on + datetime.timedelta(days=rng.randint(0, 15))
        by = insurer_user if quote.insurer_id == getattr(demo_insurer, "pk", None) else None
        serial[quote.insurer.code, issued_on.year] += 1
        number = rules.default_policy_number(quote.insurer.code, issued_on.year,
                                             serial[quote.insurer.code, issued_on.year])
        policy = Policy(quote=quote, insurer=quote.insurer, policy_number=number,
                        starts_on=starts_on, ends_on=rules.policy_ends_on(starts_on), issued_by=by,
                        issued_by_name=display_name(by) if by else f"{quote.insurer.short_name}核保岗")
        issued_at = max(_office_moment(rng, issued_on), moment + datetime.timedelta(hours=1))
        quote.updated_at = issued_at
        policies.append((policy, issued_at))
    Policy.objects.bulk_create([p for p, _at in policies], batch_size=ctx.scale.batch_size)
    for policy, issued_at in policies:
        policy.issued_at = issued_at
    policies = [p for p, _at in policies]
    # auto_now(_add) set the clock's time on insert: give the rows the moments of their story.
    Quote.objects.bulk_update(quotes, ["created_at", "updated_at"], batch_size=500)
    Policy.objects.bulk_update(policies, ["issued_at"], batch_size=500)

    ctx.extra["insurance"] = {"table": table, "products": products, "quotes": quotes, "policies": policies}
    by_status = {s: sum(q.status == s for q in quotes) for s in QuoteStatus.values}
    ctx.count("保险产品", len(products))
    ctx.count("保费优惠标准", 1)
    ctx.count("保险报价", len(quotes))
    ctx.count("  已出单", by_status[QuoteStatus.ISSUED])
    ctx.count("  待出单", by_status[QuoteStatus.QUOTED])
    ctx.count("  已过期", by_status[QuoteStatus.EXPIRED])
    ctx.count("保单", len(policies))
