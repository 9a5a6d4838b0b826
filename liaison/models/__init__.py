"""The liaison app's models: cadres and their pairings with key enterprises and entrepreneurs
(cadres.py), visits and contacts (visits.py), appeals (appeals.py), and the services around them —
legal consultations, policy notices, care activities, mentoring (outreach.py). Each part module
lists its models in `__all__`."""

from .appeals import *  # noqa: F403
from .appeals import __all__ as _appeals
from .cadres import Cadre, Pairing, cadre_enterprise_q
from .outreach import *  # noqa: F403
from .outreach import __all__ as _outreach
from .visits import Visit

__all__ = ["Cadre", "Pairing", "Visit", "cadre_enterprise_q", *_appeals, *_outreach]
