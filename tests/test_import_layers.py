"""The portal's modules depend one way: the import-linter contracts of pyproject.toml hold (no cycle
between the modules or packages of an app; in each app rules ← models ← selectors ← services ←
views, api and tasks ← urls), and they cover every app of the project, so a new app is checked too."""

import tomllib
from pathlib import Path

from django.conf import settings
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "pyproject.toml"


def test_the_import_contracts_hold():
    # 0: every contract kept; the broken one and the imports that break it are printed above
    assert lint_imports(config_filename=str(CONFIG), no_cache=True, no_logo=True) == 0


def test_every_app_of_the_project_is_under_the_contracts():
    linter = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["tool"]["importlinter"]
    ours = {app for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()}
    assert set(linter["root_packages"]) == ours
    acyclic = next(c for c in linter["contracts"] if c["type"] == "acyclic_siblings")
    assert set(acyclic["ancestors"]) == ours
