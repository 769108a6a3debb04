# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers for `make test` (a number, or auto: one per CPU); PYTEST_ARGS is appended (e.g. --create-db).
PYTEST_WORKERS ?= 2

.PHONY: run test install install-dev migrate demo lint check messages clean mutation

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: set up and start the portal on the embedded default (SQLite, no Redis, demo data).
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Open http://$(HOST):$(PORT)/ and log in with one of the demo accounts above."
	$(PY) manage.py runserver $(HOST):$(PORT)

## make test: set up and run the whole test suite (PostgreSQL from DATABASE_URL, default local postgres).
test: install-dev
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

messages: install-dev
	$(PY) manage.py makemessages -l vi --ignore=.venv --ignore=staticfiles --no-location
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles

## make mutation: mutmut over the mechanisms everything trusts (see [tool.mutmut] in pyproject.toml and
## docs/mutation.md); slow, not in CI. Uses its own test database: MUTATION_DATABASE_URL.
MUTATION_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pilot_portal_mutation
# The functions under test (mutmut names); the files listed in pyproject.toml hold others, left out here.
MUTANTS ?= 'service_center.calendar.*' 'pilot_portal.core.workflow.*' 'pilot_portal.accounts.scoping.*' \
	'service_center.selectors.x_dossier_statistics*' 'service_center.selectors.x_period_bounds*' \
	'service_center.selectors.x_statistics_total*' 'service_center.selectors.x__pct*' \
	'service_center.selectors.x_dossier_figures_by_unit*' 'service_center.selectors.xǁPeriodFigures*' \
	'service_center.services.x_dossier_transition*' 'sessions.selectors.x_quorum_of*' \
	'sessions.selectors.x_votes_needed*' 'sessions.selectors.xǁQuorum*' 'sessions.services.running.x_apply_vote_rule*' \
	'pilot_portal.notifications.services.x_notify*' 'pilot_portal.notifications.services.x__validated*' \
	'pilot_portal.notifications.services.x__insert_ignoring_duplicates*'
mutation: install-dev
	DATABASE_URL=$(MUTATION_DATABASE_URL) nice $(VENV)/bin/mutmut run --max-children 2 $(MUTANTS)
	$(VENV)/bin/mutmut results
