"""The frame every demo-data step runs in: the scale, the context it fills, and the list of steps.

A step is a function `step(ctx: SeedContext) -> None`. It reads what earlier steps made from the
context, creates its own rows, puts what later steps will need back on the context and adds its
counts to the summary. Each step draws from its own random generator, seeded from the run's seed and
the step's name: adding, removing or reordering another step never changes the data a step makes.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

# "Today" for the demo world: founding dates, birth dates and later apps' histories are reckoned from
# this fixed day, never from the clock, so two runs a year apart still make the same data.
DEMO_TODAY = datetime.date(2026, 1, 1)


@dataclass(frozen=True)
class Scale:
    """How big a demo world to make."""

    name: str
    towns: int  # towns and streets under the city
    enterprises: int
    # Exactly this many service stations when set (city level); otherwise city + towns + parks +
    # `village_station_share` of the villages.
    stations: int | None = None
    village_station_share: float = 2 / 3
    batch_size: int = 2000


SCALES = {
    "city": Scale(name="city", towns=15, enterprises=3_000, stations=120),
    # A province's worth of enterprises on one root: twenty counties' worth of towns (15 each) under
    # the one city code, which leaves town codes 001–999 room to spare.
    "province": Scale(name="province", towns=300, enterprises=100_000, batch_size=5000),
}


def scale_for(name: str, *, enterprises: int | None = None) -> Scale:
    scale = SCALES[name]
    return replace(scale, enterprises=enterprises) if enterprises is not None else scale


@dataclass
class SeedContext:
    """What the steps share. Portal's steps fill the named fields; a later app keeps its own objects
    under `extra["<app>"]` (e.g. `ctx.extra["ratings"] = {...}`) so apps never clash."""

    seed: int
    scale: Scale
    log: Callable[[str], None] = print
    rng: random.Random = field(default_factory=random.Random)  # replaced before each step

    city: Any = None
    towns: list = field(default_factory=list)  # Region, level town, in code order
    villages: list = field(default_factory=list)  # Region, level village, in code order
    first_town: Any = None  # the town the scoped demo accounts belong to
    parks: list = field(default_factory=list)
    banks: list = field(default_factory=list)
    insurers: list = field(default_factory=list)
    branches: list = field(default_factory=list)
    stations: list = field(default_factory=list)
    enterprises: list = field(default_factory=list)  # Enterprise, with pk, in creation order
    users: dict = field(default_factory=dict)  # username -> User

    # Identifiers handed out so far in this run: every step that makes people or enterprises draws
    # from these so that a later app's persons never collide with the registry's.
    used_id_numbers: set = field(default_factory=set)
    used_usccs: set = field(default_factory=set)

    summary: list = field(default_factory=list)  # (label, count), in the order steps add them
    extra: dict = field(default_factory=dict)

    def count(self, label: str, value: int) -> None:
        self.summary.append((label, value))


@dataclass(frozen=True)
class Step:
    name: str  # "<app>.<topic>", unique; also seeds the step's random generator
    func: Callable[[SeedContext], None]
    label: str = ""


_STEPS: list[Step] = []


def register_step(func=None, *, name: str | None = None, label: str = "", after: str | None = None):
    """Add a step to the demo run; usable as a plain call or as a decorator.

    Steps run in registration order: portal's first, then each app's `demo` module in
    INSTALLED_APPS order (the command imports them all). `after` puts the step right after a named
    step instead. Registering a name again replaces that step in place, so a module imported twice
    does not run twice.
    """

    def add(f):
        step = Step(name=name or f"{f.__module__}.{f.__name__}", func=f, label=label or f.__name__)
        names = [s.name for s in _STEPS]
        if step.name in names:
            _STEPS[names.index(step.name)] = step
        elif after is not None:
            if after not in names:
                raise ValueError(f"demo step {after!r} is not registered")
            _STEPS.insert(names.index(after) + 1, step)
        else:
            _STEPS.append(step)
        return f

    return add(func) if func is not None else add


def registered_steps() -> list[Step]:
    return list(_STEPS)


def step_rng(seed: int, step_name: str) -> random.Random:
    # A string seed is hashed with SHA-512 by `random`, independent of PYTHONHASHSEED.
    return random.Random(f"{seed}:{step_name}")


def run_steps(ctx: SeedContext, steps: list[Step]) -> SeedContext:
    for step in steps:
        ctx.rng = step_rng(ctx.seed, step.name)
        started = time.monotonic()
        step.func(ctx)
        ctx.log(f"  {step.label} … {time.monotonic() - started:.1f} s")
    return ctx
