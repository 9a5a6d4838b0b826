"""Talent policy, talents and their benefit applications, incubation bases, innovation, training."""

from .benefits import BenefitApplication, BenefitEvent, ProgressLookup
from .innovation import InnovationProject, IPServiceAction, PlatformRegistration, TrainingSession
from .policy import PolicyItem
from .talents import IncubationBase, Talent

__all__ = [
    "BenefitApplication", "BenefitEvent", "IPServiceAction", "IncubationBase", "InnovationProject",
    "PlatformRegistration", "PolicyItem", "ProgressLookup", "Talent", "TrainingSession",
]
