# The two commands of the README: `make run` and `make test`. Everything else is what they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench setup sysdeps venv assets messages lint worker beat clean

# DEBUG is off unless asked (`DEBUG=1 make run`): the portal's own error pages, static files by WhiteNoise.
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py runserver $(HOST):$(PORT)

# The suite runs on every core (one test database per worker): about twice as fast on two cores.
PYTEST_WORKERS ?= auto

test: setup
	$(PY) scripts/check_services.py
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) -m pytest -n $(PYTEST_WORKERS)

# Province scale under gunicorn (production settings) and load; BENCH_QUICK=1: city scale in minutes.
# Needs PostgreSQL and Redis (BENCH_PG, BENCH_REDIS_URL); the table and its rows: docs/benchmarks.md.
bench: setup
	$(PY) -m bench

setup: sysdeps venv assets messages

sysdeps:
	@scripts/install-system-packages.sh

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

assets: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: venv
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules; \
	else echo "msgfmt (gettext) missing: the English UI stays untranslated"; fi

lint: venv
	$(VENV)/bin/ruff check .

worker: setup
	$(VENV)/bin/celery -A portal worker -l info --concurrency 2

beat: setup
	$(VENV)/bin/celery -A portal beat -l info

clean:
	rm -rf $(VENV) node_modules var
