"""Making valid identifiers (for demo data and tests): credit codes and ID numbers whose check
characters are right."""

from __future__ import annotations

import datetime
import random

from stdnum.cn import ric, uscc

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# Registration department + institution type (GB 32100): 91 enterprise, 93 farmers' cooperative;
# family farms register as individual businesses (92) or enterprises (91).
USCC_PREFIX = {"private": "91", "coop": "93", "farm": "92"}


def make_uscc(rng: random.Random, *, kind: str = "private", area_code: str = "510799") -> str:
    body = USCC_PREFIX.get(kind, "91") + area_code[:6]
    body += "".join(rng.choice(USCC_ALPHABET[:10] if i < 8 else USCC_ALPHABET) for i in range(9))
    return body + uscc.calc_check_digit(body)


# County codes that existed through the whole range of demo birth years (stdnum checks that the
# place code was in force in the year of birth).
ID_PLACES = ("510603", "510623", "510626", "510104", "510107", "500101")


def make_id_number(rng: random.Random, *, born: datetime.date | None = None) -> str:
    for _attempt in range(50):
        day = born or datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 40))
        body = f"{rng.choice(ID_PLACES)}{day:%Y%m%d}{rng.randrange(0, 1000):03d}"
        number = body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit
        if ric.is_valid(number):
            return number
    raise ValueError("no valid ID number for that birth date")


def make_mobile(rng: random.Random) -> str:
    return rng.choice(["138", "139", "135", "136", "150", "151", "158", "177", "186", "189"]) + \
        f"{rng.randrange(0, 10 ** 8):08d}"
