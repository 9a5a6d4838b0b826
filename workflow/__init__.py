"""Workflows of the portal's cases: the working-day calendar their service-time limits (限时办结)
count on."""
