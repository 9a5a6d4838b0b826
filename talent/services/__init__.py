"""Every write of the talent programme."""

from .benefits import (
    LOOKUPS_PER_ADDRESS_PER_HOUR,
    acting_role,
    benefit_application_act,
    benefit_application_submit,
    benefit_progress_lookup,
    can_submit_for,
    submitter_role,
)
from .policy import POLICY_ITEM_FIELDS, policy_item_create, policy_item_update
from .programme import (
    base_save,
    ip_action_save,
    project_save,
    registration_create,
    training_session_save,
)
from .talents import talent_create, talent_update

__all__ = [
    "LOOKUPS_PER_ADDRESS_PER_HOUR", "POLICY_ITEM_FIELDS", "acting_role", "base_save", "benefit_application_act",
    "benefit_application_submit", "benefit_progress_lookup", "can_submit_for", "ip_action_save",
    "policy_item_create", "policy_item_update", "project_save", "registration_create", "submitter_role",
    "talent_create", "talent_update", "training_session_save",
]
