"""Demo people: Chinese names, and unique ID numbers valid for the person's year of birth."""

from __future__ import annotations

import datetime
import random

from portal.identifiers import make_id_number, make_mobile

from .names import GIVEN_CHARS, SURNAME_WEIGHTS, SURNAMES


def person_name(rng: random.Random) -> str:
    surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
    size = 2 if rng.random() < 0.75 else 1
    return surname + "".join(rng.choice(GIVEN_CHARS) for _ in range(size))


def birth_date(rng: random.Random, first_year: int, last_year: int) -> datetime.date:
    start = datetime.date(first_year, 1, 1)
    return start + datetime.timedelta(days=rng.randrange((datetime.date(last_year, 12, 31) - start).days + 1))


def id_number(rng: random.Random, born: datetime.date, used: set[str]) -> str:
    """A valid resident ID number (GB 11643) for someone born on `born`, not in `used` (added to it)."""
    for _attempt in range(100):
        number = make_id_number(rng, born=born)
        if number not in used:
            used.add(number)
            return number
    raise ValueError(f"no unused ID number for {born}")


def mobile(rng: random.Random) -> str:
    return make_mobile(rng)
