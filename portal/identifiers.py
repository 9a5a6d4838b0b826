"""Making valid identifiers (for demo data and tests): credit codes and ID numbers whose check
characters are right."""

from __future__ import annotations

import datetime
import random
from functools import cache

from stdnum.cn import ric, uscc

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# Registration department + institution type (GB 32100): 91 enterprise, 93 farmers' cooperative;
# family farms register as individual businesses (92) or enterprises (91).
USCC_PREFIX = {"private": "91", "coop": "93", "farm": "92"}


def make_uscc(rng: random.Random, *, kind: str = "private", area_code: str = "510799") -> str:
    body = USCC_PREFIX.get(kind, "91") + area_code[:6]
    body += "".join(rng.choice(USCC_ALPHABET[:10] if i < 8 else USCC_ALPHABET) for i in range(9))
    return body + uscc.calc_check_digit(body)


# Birth places near the fictional city (Chengdu, Deyang, Mianyang, Suining, Neijiang and the old
# Nanchong prefecture). python-stdnum checks that the place code was in force in the year of birth;
# each year from 1950 to 2009 has several of these in force.
BIRTH_PLACES = (
    "510121", "510122", "510112", "510113", "510129", "510623", "510681", "510682", "510722", "510725",
    "510781", "510921", "511025", "512921", "512922", "512923", "512925", "512929",
)


@cache
def places_for_year(year: int) -> tuple[str, ...]:
    valid = []
    for place in BIRTH_PLACES:
        body = f"{place}{year}0101001"
        if ric.is_valid(body + ric.calc_check_digit(body + "0")):
            valid.append(place)
    return tuple(valid)


def make_id_number(rng: random.Random, *, born: datetime.date | None = None) -> str:
    """A valid resident ID number (GB 11643) for someone born on `born` (random 1960–1999 if None)."""
    if born is None:
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 40))
    places = places_for_year(born.year)
    if not places:
        raise ValueError(f"no birth place code in force in {born.year}")
    body = f"{rng.choice(places)}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum wants a placeholder check digit


def make_mobile(rng: random.Random) -> str:
    return rng.choice(["138", "139", "135", "136", "150", "151", "158", "177", "186", "189"]) + \
        f"{rng.randrange(0, 10 ** 8):08d}"
