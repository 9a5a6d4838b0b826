"""Market entities (市场主体) with their legal representatives, entrepreneurs and contacts.

Most are private enterprises; farmers' professional cooperatives and family farms sit in villages.
About 15% are in a park, about 5% are key enterprises (重点民企), about half name a contact, and one
entrepreneur in ten is in the new-generation programme (新生代企业家). Rows are written chunk by
chunk with bulk inserts: people first (the enterprises point at them), then the enterprises, then
the links between them.
"""

from __future__ import annotations

import datetime
import itertools
import random
from decimal import Decimal

from portal.choices import EnterpriseKind, PersonLink, RegionKind
from portal.identifiers import make_uscc
from portal.models import Enterprise, EnterprisePerson, Person

from . import people
from .context import DEMO_TODAY, SeedContext
from .names import (
    AREA_CODE,
    CITY_NAME,
    COMPANY_SUFFIXES,
    CONTACT_TITLES,
    COOP_PRODUCTS,
    COOP_TRADE,
    INDUSTRY_WORDS,
    LEGAL_TITLES,
    PARK_INDUSTRIES,
    PARKS,
    TRADE_FIRST,
    TRADE_SECOND,
)
from .regions import street_address

KIND_WEIGHTS = {EnterpriseKind.PRIVATE: 80, EnterpriseKind.COOPERATIVE: 12, EnterpriseKind.FAMILY_FARM: 8}
PARK_SHARE = 0.15  # of all enterprises; park firms are private
KEY_SHARE_OF_PRIVATE = 0.0625  # 5% of all
TOWN_LEVEL_SHARE = 0.08  # registered at the town rather than a village or community
PARK_AT_CITY_SHARE = 0.2  # park firms registered at the city rather than the park's town
CONTACT_SHARE = 0.5
KEY_CONTACT_SHARE = 0.9
NEW_GENERATION_SHARE = 0.10
SHARED_ENTREPRENEUR_SHARE = 0.03  # an entrepreneur who also represents a second firm
CONTACT_WITH_ID_SHARE = 0.7
PARK_WEIGHTS = (60, 40)

TRADE_NAMES = [a + b for a in TRADE_FIRST for b in TRADE_SECOND if a != b]
SECTIONS = list(INDUSTRY_WORDS)
SECTION_CUM = list(itertools.accumulate(w for w, _words in INDUSTRY_WORDS.values()))
SUFFIXES = [s for s, _w in COMPANY_SUFFIXES]
SUFFIX_CUM = list(itertools.accumulate(w for _s, w in COMPANY_SUFFIXES))
LEGAL_TITLE_NAMES = [t for t, _w in LEGAL_TITLES]
LEGAL_TITLE_CUM = list(itertools.accumulate(w for _t, w in LEGAL_TITLES))
# (employees range, registered capital range in units of ¥10,000, weight) for ordinary private firms.
PRIVATE_SIZES = (((3, 20), (10, 500), 55), ((20, 100), (100, 2000), 30), ((100, 300), (500, 5000), 12),
                 ((300, 800), (2000, 10000), 3))
SIZE_CUM = list(itertools.accumulate(w for _e, _c, w in PRIVATE_SIZES))


def _date_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def _yuan(units_of_10k: int) -> Decimal:
    return Decimal(units_of_10k * 10_000).quantize(Decimal("0.01"))


class EnterpriseMaker:
    """Draws one enterprise at a time; the unsaved rows wait in `pending_*` until `flush()`."""

    def __init__(self, ctx: SeedContext):
        self.ctx = ctx
        self.rng = ctx.rng
        self.names: set[str] = set()
        self.entrepreneurs: list[Person] = []
        self.pending_people: list[Person] = []
        self.pending_enterprises: list[Enterprise] = []
        self.pending_links: list[tuple[Enterprise, Person, str, str]] = []
        self.link_count = 0
        self.people_count = 0
        # Where firms sit: communities (urban) weigh three times a village for private firms.
        self.places = ctx.villages
        self.place_cum = list(itertools.accumulate(3 if v.kind == RegionKind.COMMUNITY else 1 for v in self.places))
        self.rural = [v for v in ctx.villages if v.kind == RegionKind.VILLAGE]
        self.park_places = {
            park.pk: [v for v in ctx.villages if v.parent_id == park.region_id] or [ctx.city] for park in ctx.parks
        }
        self.park_roads = {code: roads for code, _name, _town, roads in PARKS}

    # People ----------------------------------------------------------------------------------------

    def _person(self, first_year: int, last_year: int, *, with_id: bool = True, new_generation=False) -> Person:
        rng = self.rng
        born = people.birth_date(rng, first_year, last_year)
        person = Person(
            name=people.person_name(rng),
            id_number=people.id_number(rng, born, self.ctx.used_id_numbers) if with_id else None,
            mobile=people.mobile(rng),
            is_new_generation=new_generation,
        )
        self.pending_people.append(person)
        return person

    def _legal_representative(self, kind: str) -> tuple[Person, bool]:
        """The person and whether they are an entrepreneur (private firms' representatives are)."""
        rng = self.rng
        if kind != EnterpriseKind.PRIVATE:
            return self._person(1958, 1992), False
        if self.entrepreneurs and rng.random() < SHARED_ENTREPRENEUR_SHARE:
            return rng.choice(self.entrepreneurs), True
        if rng.random() < NEW_GENERATION_SHARE:
            person = self._person(1982, 1998, new_generation=True)
        else:
            person = self._person(1955, 1985)
        self.entrepreneurs.append(person)
        return person, True

    # Names -----------------------------------------------------------------------------------------

    def _unique(self, make) -> str:
        for _attempt in range(200):
            name = make()
            if name not in self.names:
                self.names.add(name)
                return name
        raise ValueError("ran out of enterprise names; add trade names to portal/demo/names.py")

    def _company_name(self, word: str, is_key: bool) -> str:
        rng = self.rng

        def make():
            suffix = "股份有限公司" if is_key and rng.random() < 0.3 else rng.choices(SUFFIXES, cum_weights=SUFFIX_CUM)[0]
            return f"{CITY_NAME}{rng.choice(TRADE_NAMES)}{word}{suffix}"

        return self._unique(make)

    def _coop_name(self, village) -> str:
        rng, town = self.rng, village.parent

        def make():
            product = rng.choice(COOP_PRODUCTS)
            if rng.random() < 0.3:
                return f"{CITY_NAME}{town.name}{village.name}{product}专业合作社"
            return f"{CITY_NAME}{town.name}{rng.choice(COOP_TRADE)}{product}专业合作社"

        return self._unique(make)

    def _farm_name(self, village, owner: Person) -> str:
        """Mostly after the owner (星湖市东湖镇张伟家庭农场), else a trade name, in the town or village."""
        rng, town = self.rng, village.parent

        def make():
            roll = rng.random()
            if roll < 0.6:
                return f"{CITY_NAME}{town.name}{owner.name}家庭农场"
            place = town.name if roll < 0.8 else town.name + village.name
            return f"{CITY_NAME}{place}{rng.choice(COOP_TRADE)}家庭农场"

        return self._unique(make)

    # Enterprises -----------------------------------------------------------------------------------

    def _uscc(self, kind: str) -> str:
        for _attempt in range(100):
            code = make_uscc(self.rng, kind=kind, area_code=AREA_CODE)
            if code not in self.ctx.used_usccs:
                self.ctx.used_usccs.add(code)
                return code
        raise ValueError("no unused credit code")

    def make(self) -> Enterprise:
        rng = self.rng
        in_park = rng.random() < PARK_SHARE
        kind = EnterpriseKind.PRIVATE if in_park else rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]
        legal, is_entrepreneur = self._legal_representative(kind)
        is_key = kind == EnterpriseKind.PRIVATE and rng.random() < KEY_SHARE_OF_PRIVATE
        park = None
        if kind == EnterpriseKind.PRIVATE:
            if in_park:
                park = rng.choices(self.ctx.parks, PARK_WEIGHTS[: len(self.ctx.parks)])[0]
                region = self.ctx.city if rng.random() < PARK_AT_CITY_SHARE else rng.choice(self.park_places[park.pk])
                sections = PARK_INDUSTRIES[park.code]
                section, words = rng.choices(sections, [70] + [30 / (len(sections) - 1)] * (len(sections) - 1))[0]
            else:
                region = rng.choices(self.places, cum_weights=self.place_cum)[0]
                if rng.random() < TOWN_LEVEL_SHARE:
                    region = region.parent
                section = rng.choices(SECTIONS, cum_weights=SECTION_CUM)[0]
                words = INDUSTRY_WORDS[section][1]
            name = self._company_name(rng.choice(words), is_key)
            if is_key:
                employees, capital = rng.randint(200, 2000), rng.randint(1000, 20000)
                founded = _date_between(rng, datetime.date(1993, 1, 1), datetime.date(2016, 12, 31))
            else:
                (e_lo, e_hi), (c_lo, c_hi), _w = rng.choices(PRIVATE_SIZES, cum_weights=SIZE_CUM)[0]
                employees, capital = rng.randint(e_lo, e_hi), rng.randint(c_lo, c_hi)
                founded = _date_between(rng, datetime.date(1993, 1, 1), DEMO_TODAY - datetime.timedelta(days=180))
        else:
            region = rng.choice(self.rural)
            section = "A"
            if kind == EnterpriseKind.COOPERATIVE:  # the law on cooperatives came into force in mid-2007
                name = self._coop_name(region)
                employees, capital = rng.randint(5, 60), rng.randint(10, 500)
                founded = _date_between(rng, datetime.date(2007, 7, 1), DEMO_TODAY - datetime.timedelta(days=180))
            else:
                name = self._farm_name(region, legal)
                employees, capital = rng.randint(2, 12), rng.randint(5, 200)
                founded = _date_between(rng, datetime.date(2013, 3, 1), DEMO_TODAY - datetime.timedelta(days=180))
        if park is not None:
            address = f"{CITY_NAME}{park.name}{rng.choice(self.park_roads[park.code])}{rng.randint(1, 199)}号"
        else:
            address = street_address(rng, region)
        enterprise = Enterprise(
            uscc=self._uscc(kind), name=name, kind=kind, industry=section, region=region, park=park, is_key=is_key,
            employees=employees, registered_capital=_yuan(capital), founded_on=founded, address=address,
            legal_representative=legal,
        )
        self.pending_enterprises.append(enterprise)
        title = {EnterpriseKind.COOPERATIVE: "理事长", EnterpriseKind.FAMILY_FARM: "农场主"}.get(kind)
        if title is None:
            title = "董事长" if is_key else rng.choices(LEGAL_TITLE_NAMES, cum_weights=LEGAL_TITLE_CUM)[0]
        self.pending_links.append((enterprise, legal, PersonLink.LEGAL_REPRESENTATIVE, title))
        if is_entrepreneur:
            self.pending_links.append((enterprise, legal, PersonLink.ENTREPRENEUR, title))
        if rng.random() < (KEY_CONTACT_SHARE if is_key else CONTACT_SHARE):
            contact = self._person(1970, 2001, with_id=rng.random() < CONTACT_WITH_ID_SHARE)
            enterprise.contact = contact
            self.pending_links.append((enterprise, contact, PersonLink.CONTACT, rng.choice(CONTACT_TITLES)))
        return enterprise

    def flush(self) -> None:
        # The people first: PostgreSQL returns the ids of bulk-inserted rows, and bulk_create copies
        # a related object's id into the foreign key when it is saved. Then the enterprises, the links.
        Person.objects.bulk_create(self.pending_people)
        self.people_count += len(self.pending_people)
        self.ctx.enterprises.extend(Enterprise.objects.bulk_create(self.pending_enterprises))
        EnterprisePerson.objects.bulk_create(
            EnterprisePerson(enterprise=e, person=p, link=link, title=title) for e, p, link, title in self.pending_links
        )
        self.link_count += len(self.pending_links)
        self.pending_people, self.pending_enterprises, self.pending_links = [], [], []


def seed_enterprises(ctx: SeedContext) -> None:
    maker = EnterpriseMaker(ctx)
    total, batch = ctx.scale.enterprises, ctx.scale.batch_size
    for start in range(0, total, batch):
        for _i in range(min(batch, total - start)):
            maker.make()
        maker.flush()
        if total >= 10 * batch:
            ctx.log(f"    {min(start + batch, total):,} / {total:,}")
    # Make sure the first town has a key enterprise for the enterprise demo account to belong to.
    ensure_key_enterprise(ctx, ctx.first_town)

    enterprises = ctx.enterprises
    kinds = {kind: sum(e.kind == kind for e in enterprises) for kind in EnterpriseKind.values}
    ctx.count("市场主体", len(enterprises))
    ctx.count("  民营企业", kinds[EnterpriseKind.PRIVATE])
    ctx.count("  农民专业合作社", kinds[EnterpriseKind.COOPERATIVE])
    ctx.count("  家庭农场", kinds[EnterpriseKind.FAMILY_FARM])
    ctx.count("  重点民企", sum(e.is_key for e in enterprises))
    ctx.count("  园区企业", sum(e.park_id is not None for e in enterprises))
    ctx.count("人员", maker.people_count)
    ctx.count("  企业家", len(maker.entrepreneurs))
    ctx.count("  新生代企业家", sum(p.is_new_generation for p in maker.entrepreneurs))
    ctx.count("企业人员关系", maker.link_count)


def in_region(enterprise: Enterprise, region) -> bool:
    return enterprise.region.code.startswith(region.prefix)


def ensure_key_enterprise(ctx: SeedContext, town) -> Enterprise | None:
    """A key enterprise of `town`; if it has none, its biggest private firm becomes one."""
    local = [e for e in ctx.enterprises if in_region(e, town)]
    keys = [e for e in local if e.is_key]
    # A manufacturer if there is one: the demo reads best with a factory as the enterprise.
    key = next((e for e in keys if e.industry == "C"), keys[0] if keys else None)
    if key is None:
        private = [e for e in local if e.kind == EnterpriseKind.PRIVATE]
        if not private:
            return local[0] if local else None
        key = max(private, key=lambda e: (e.employees, e.registered_capital, e.uscc))
        key.is_key = True
        Enterprise.objects.filter(pk=key.pk).update(is_key=True)
    return key
