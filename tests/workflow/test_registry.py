"""The registry names every workflow of the portal; the pages and the documentation list them from it."""

import pytest
from django.apps import apps

from finance.workflows import LOAN
from liaison.workflows import APPEAL
from ratings.workflows import RATING
from talent.workflows import BENEFIT
from workflow import registry
from workflow.registry import WORKFLOW_PATHS, all_workflows, declarations, declared_at, workflow_get

FOUR = ["finance.workflows.LOAN", "talent.workflows.BENEFIT", "liaison.workflows.APPEAL", "ratings.workflows.RATING"]


def test_the_four_workflows_are_declared_where_the_registry_says():
    # given the registry's paths
    # when each is imported
    found = declarations()
    # then the four case workflows are there, in the registry's order, each with a key of its own
    assert [path for path, _workflow in found][:4] == FOUR == list(WORKFLOW_PATHS[:4])
    assert all_workflows()[:4] == [LOAN, BENEFIT, APPEAL, RATING]
    assert [w.key for w in all_workflows()][:4] == ["loan", "benefit", "appeal", "rating"]
    # and the satisfaction follow-up's once its app is installed
    assert [path for path, _workflow in found][4:] == (
        ["quality.workflows.FOLLOWUP"] if apps.is_installed("quality") else [])
    assert len({w.key for w in all_workflows()}) == len(found)


def test_a_workflow_is_found_by_its_key_and_its_declaration_by_the_workflow():
    assert workflow_get("loan") is LOAN
    assert workflow_get("rating") is RATING
    assert workflow_get("no-such") is None
    assert declared_at(APPEAL) == "liaison.workflows.APPEAL"


def test_an_app_not_installed_or_without_a_workflows_module_is_left_out_but_a_broken_one_is_not(monkeypatch):
    # given a path into an app that is not installed, one to an app with no workflows module, and the loan's
    monkeypatch.setattr(registry, "WORKFLOW_PATHS", ("no_such_app.workflows.X", "portal.workflows.X",
                                                     "finance.workflows.LOAN"))
    # then the first two are skipped
    assert registry.all_workflows() == [LOAN]
    # and a declaration missing from a module that exists is an error, not a silent gap
    monkeypatch.setattr(registry, "WORKFLOW_PATHS", ("finance.workflows.NO_SUCH",))
    with pytest.raises(AttributeError):
        registry.all_workflows()
