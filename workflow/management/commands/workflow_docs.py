"""`manage.py workflow_docs`: write docs/workflows.md and docs/workflows/<key>.svg from the workflows'
declarations (workflow.docs). Run it after changing a workflow; a test fails until the committed
documentation matches the code."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from workflow.docs import write_docs


class Command(BaseCommand):
    help = "Write docs/workflows.md and the workflows' diagrams from their declarations."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs"),
                            help="the documentation's folder (default: docs/ of the project)")

    def handle(self, *args, output, **options):
        for path in write_docs(Path(output)):
            self.stdout.write(str(path))
