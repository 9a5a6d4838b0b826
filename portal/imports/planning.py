"""What a cleaned row would do to the registry: create an enterprise, update one (which fields, from
what to what), or nothing. Reads only; the same planner serves the preview and, under lock, the
re-check at commit, so the commit applies exactly what the preview showed or refuses."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from ..choices import EnterpriseKind, ImportRowFate, Industry
from ..models import Enterprise, Park, Person, Region
from ..punctuation import parens
from ..rules import mask_id_number, mask_mobile
from .cleaning import ParkEntry, ParkIndex, RegionEntry, RegionIndex
from .columns import column_label

# The enterprise fields an import can set, in the order the preview lists changes.
FIELDS = (
    "name", "kind", "industry", "region", "park", "is_key", "employees", "registered_capital", "founded_on",
    "address", "legal_representative", "contact",
)
_DATA_KEY = {"region": "region_id", "park": "park_id"}
PERSON_FIELDS = ("legal_representative", "contact")


def _among(values) -> list | RawSQL:
    """Text values for an `__in` filter. On PostgreSQL as one array parameter: a placeholder per value
    costs Django and psycopg more than the query itself when a chunk names thousands."""
    values = list(values)
    if connection.vendor != "postgresql":
        return values
    return RawSQL("SELECT unnest(%s::text[])", [values])


def region_index() -> RegionIndex:
    return RegionIndex([RegionEntry(*row) for row in Region.objects.values_list("id", "code", "name", "level",
                                                                                  "parent_id")])


def park_index() -> ParkIndex:
    return ParkIndex([ParkEntry(*row) for row in Park.objects.values_list("id", "code", "name", "region__code",
                                                                            "region__level")])


@dataclass(frozen=True)
class NewPerson:
    """A person the commit will create; `key` makes one person of every row that names the same one."""

    key: tuple
    name: str
    id_number: str | None = None
    mobile: str = ""


@dataclass
class Plan:
    row_number: int
    uscc: str
    fate: str
    enterprise: Enterprise | None = None
    values: dict = field(default_factory=dict)  # field -> model value (a Person pk or a NewPerson)
    changes: dict = field(default_factory=dict)  # field -> [old, new], as shown
    errors: dict = field(default_factory=dict)  # column label -> message


def person_display(person: Person | None) -> str:
    if person is None:
        return ""
    if person.id_number:
        return person.name + parens(mask_id_number(person.id_number))
    if person.mobile:
        return person.name + parens(mask_mobile(person.mobile))
    return person.name


class Planner:
    """Plans rows chunk by chunk, with three queries a chunk whatever its size."""

    def __init__(self, regions: RegionIndex, parks: ParkIndex, *, lock: bool = False):
        self.regions = regions
        self.parks = parks
        self.lock = lock

    def _display(self, name: str, value) -> str:
        if value is None or value == "":
            return ""
        if name == "kind":
            return str(EnterpriseKind(value).label)
        if name == "industry":
            return f"{value} {Industry(value).label}"
        if name == "region":
            return self.regions.display(value)
        if name == "park":
            return self.parks.display(value)
        if name == "is_key":
            return _("是") if value else _("否")
        if name == "registered_capital":
            return f"{Decimal(value):.2f}"
        if name == "founded_on":
            return value.isoformat()
        if isinstance(value, NewPerson):
            return _("%(name)s（新建）") % {"name": value.name}
        return str(value)

    def plan_chunk(self, rows: list[tuple[int, dict]]) -> list[Plan]:
        codes = [data["uscc"] for _n, data in rows]
        # Without the times the plan never reads: each is parsed in Python, six a row with the people.
        enterprises = (Enterprise.objects.filter(uscc__in=_among(codes))
                       .select_related("legal_representative", "contact")
                       .defer("updated_at", *(f"{person}__{name}" for person in PERSON_FIELDS
                                              for name in ("created_at", "updated_at"))))
        if self.lock:
            # Lock the enterprises themselves, not the people joined in for display.
            enterprises = enterprises.select_for_update(of=("self",))
        existing = {e.uscc: e for e in enterprises}
        ids = {data["legal_id"] for _n, data in rows if data.get("legal_id")}
        by_id = {p.id_number: p for p in Person.objects.filter(id_number__in=_among(ids))} if ids else {}
        pairs = {(data["contact_name"], data["contact_mobile"]) for _n, data in rows if data.get("contact_mobile")}
        contacts: dict[tuple[str, str], Person] = {}
        if pairs:
            found = Person.objects.filter(name__in=_among({n for n, _m in pairs}),
                                          mobile__in=_among({m for _n, m in pairs}))
            for person in found.order_by("pk"):
                contacts.setdefault((person.name, person.mobile), person)
        self._people = {p.pk: p for p in [*by_id.values(), *contacts.values()]}
        return [self._plan(n, data, existing.get(data["uscc"]), by_id, contacts) for n, data in rows]

    def _wanted(self, row_number: int, data: dict, current: Enterprise | None, by_id, contacts, errors) -> dict:
        wanted = {}
        for name in FIELDS:
            key = _DATA_KEY.get(name, name)
            if key in data:
                wanted[name] = data[key]
        if "registered_capital" in wanted:
            wanted["registered_capital"] = Decimal(wanted["registered_capital"])
        if "founded_on" in wanted:
            wanted["founded_on"] = datetime.date.fromisoformat(wanted["founded_on"])

        legal_name = data.get("legal_name")
        if data.get("legal_id"):
            person = by_id.get(data["legal_id"])
            if person is None:
                wanted["legal_representative"] = NewPerson(("id", data["legal_id"]), legal_name, data["legal_id"])
            elif person.name != legal_name:
                errors[column_label("legal_id")] = _("该身份证号已登记在“%(name)s”名下，与表中姓名不一致。") % {
                    "name": person.name}
            else:
                wanted["legal_representative"] = person.pk
        elif legal_name:
            held = current.legal_representative if current else None
            wanted["legal_representative"] = held.pk if held and held.name == legal_name else \
                NewPerson(("row", row_number, "legal"), legal_name)

        contact_name, mobile = data.get("contact_name"), data.get("contact_mobile", "")
        if contact_name:
            held = current.contact if current else None
            if held and held.name == contact_name and (not mobile or held.mobile == mobile):
                wanted["contact"] = held.pk
            elif mobile and (contact_name, mobile) in contacts:
                wanted["contact"] = contacts[(contact_name, mobile)].pk
            elif mobile:
                wanted["contact"] = NewPerson(("contact", contact_name, mobile), contact_name, None, mobile)
            else:
                wanted["contact"] = NewPerson(("row", row_number, "contact"), contact_name)
        return wanted

    def _plan(self, row_number: int, data: dict, current: Enterprise | None, by_id, contacts) -> Plan:
        errors: dict = {}
        wanted = self._wanted(row_number, data, current, by_id, contacts, errors)
        if errors:
            return Plan(row_number, data["uscc"], ImportRowFate.ERROR, current, errors=errors)
        if current is None:
            return Plan(row_number, data["uscc"], ImportRowFate.CREATE, None, values=wanted)
        changes = {}
        for name, new in wanted.items():
            attname = Enterprise._meta.get_field(name).attname
            old = getattr(current, attname)
            if isinstance(new, NewPerson) or old != new:
                old_shown = person_display(getattr(current, name)) if name in PERSON_FIELDS else \
                    self._display(name, old)
                new_shown = self._display(name, new) if not (name in PERSON_FIELDS and isinstance(new, int)) \
                    else person_display(self._people.get(new))
                changes[name] = [old_shown, new_shown]
        fate = ImportRowFate.UPDATE if changes else ImportRowFate.UNCHANGED
        return Plan(row_number, data["uscc"], fate, current, values=wanted, changes=changes)
