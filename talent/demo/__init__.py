"""Demo data of the talent programme: the policy package, incubation bases, co-built projects, IP
actions, 科创中国 registrations, order-based training (`programme`), then talents and their benefit
applications in every state (`talents`). Deterministic for a seed; written in bulk."""

from . import programme, talents  # noqa: F401  (each registers its step)
