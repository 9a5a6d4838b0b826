"""Every workflow of the portal, named by where it is declared: the staff pages and the documentation
(`manage.py workflow_docs`) draw each from its declaration, so neither can drift from the code."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

from .engine import Workflow

# In the order the pages and the documentation list them.
WORKFLOW_PATHS: tuple[str, ...] = (
    "finance.workflows.LOAN",
    "talent.workflows.BENEFIT",
    "liaison.workflows.APPEAL",
    "ratings.workflows.RATING",
    "quality.workflows.FOLLOWUP",
)


def _declared(path: str) -> Workflow | None:
    """The workflow at `path`; None while its app is not installed or has no `workflows` module yet.
    An import error inside an existing module is raised, not hidden."""
    module_path, name = path.rsplit(".", 1)
    if not apps.is_installed(module_path.split(".")[0]) or find_spec(module_path) is None:
        return None
    return getattr(import_module(module_path), name)


def declarations() -> list[tuple[str, Workflow]]:
    """(dotted path, workflow) for every workflow declared so far."""
    found = [(path, _declared(path)) for path in WORKFLOW_PATHS]
    return [(path, workflow) for path, workflow in found if workflow is not None]


def all_workflows() -> list[Workflow]:
    return [workflow for _path, workflow in declarations()]


def workflow_get(key: str) -> Workflow | None:
    """The workflow whose key is `key` ("loan"), or None."""
    return next((workflow for workflow in all_workflows() if workflow.key == key), None)


def declared_at(workflow: Workflow) -> str:
    """Where the workflow is declared: "finance.workflows.LOAN"."""
    return next((path for path, declared in declarations() if declared is workflow), "")
