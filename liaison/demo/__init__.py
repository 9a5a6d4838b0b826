"""Demo data of the liaison app, one module per part; each registers its steps with
`portal.demo.register_step` (pairings first: the others read its cadres and pairings)."""

from . import appeals, outreach, pairings  # noqa: F401
