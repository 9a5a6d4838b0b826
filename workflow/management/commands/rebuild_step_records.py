"""`manage.py rebuild_step_records [loan benefit appeal rating]`: derive the stays at each step that waits
on a person from the cases' histories (workflow.steps.rebuild), for cases made before the stays were
kept or without the engine (the demo). Each workflow in one transaction; safe to run again."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from workflow import steps
from workflow.registry import all_workflows


class Command(BaseCommand):
    help = "Derive the stays at each waiting step (限时办结) from the cases' histories."

    def add_arguments(self, parser):
        parser.add_argument("workflows", nargs="*", help="workflow keys (all when none)")

    def handle(self, *args, workflows, **options):
        known = {w.key: w for w in all_workflows()}
        unknown = sorted(set(workflows) - set(known))
        if unknown:
            raise CommandError(f"unknown workflow: {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        for key in workflows or sorted(known):
            with transaction.atomic():
                written = steps.rebuild(known[key])
            self.stdout.write(f"{key}: {written} stays")
