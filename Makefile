# QA Portal: `make run` sets everything up and starts the portal; `make test` sets up and runs the suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .make
# Development and test commands run with DEBUG on unless told otherwise (tests force it off).
export DEBUG ?= 1
# Python keeps the bytecode it compiles (in __pycache__, which git ignores) even where the environment
# says not to (PYTHONDONTWRITEBYTECODE): otherwise every test process, and every worker, server and PDF
# layout process the tests start, compiles the portal's modules afresh, and pytest rewrites the test
# modules' asserts again in each of its processes (collecting took 7.2 CPU seconds a process, 3.2 with
# the bytecode kept).
unexport PYTHONDONTWRITEBYTECODE
# pytest-xdist processes for the tests: two per core of the 2-core machines we develop and run CI on, as
# more than half the suite's time is spent waiting (browsers, workers, servers): 4 took the suite from
# 547 s to 463 s on an idle machine. "worksteal" hands waiting tests to an idle process, so the long
# browser tests do not all end up at the end of one. Not "auto": each process takes a Redis database
# counting down from 15 (see qa_portal/test_settings.py).
TEST_WORKERS ?= 5
TEST_DIST ?= worksteal

.PHONY: help setup system services venv static db demo run test test-fast lint format migrations-check clean bench bench-quick bench-venv

help:
	@echo "make run    set up everything (packages, assets, database, demo data) and start web, worker and beat"
	@echo "make test   set up everything and run lint and the whole test suite ($(TEST_WORKERS) processes)"
	@echo "make test-fast  the whole test suite without lint, reusing the last run's test databases"
	@echo "make lint   ruff, ruff format --check, djLint, import-linter (the layers), makemigrations --check"
	@echo "make format apply ruff format and djLint's reformatting"
	@echo "make bench  the benchmark at a regional consortium's size (README: Performance); make bench-quick: a tenth, under 5 minutes"

system:
	@scripts/system_deps.sh

services: system
	@scripts/services.sh

$(STAMPS)/venv: requirements.txt requirements-dev.txt
	@mkdir -p $(STAMPS)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	@touch $@

venv: system $(STAMPS)/venv

$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/css/app.css: $(STAMPS)/npm static_src/app.scss scripts/build_assets.mjs
	node scripts/build_assets.mjs

static: system static/css/app.css

db: services venv
	$(PY) scripts/create_database.py
	$(PY) manage.py migrate --noinput

setup: system services venv static db

demo: db
	$(PY) manage.py seed_demo

run: setup demo
	@mkdir -p var
	@echo "Starting web (http://127.0.0.1:8000), worker and beat. Ctrl-C stops all three."
	$(VENV)/bin/honcho start -f Procfile

migrations-check: venv
	$(PY) manage.py makemigrations --check --dry-run

lint: venv migrations-check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/lint-imports

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/djlint templates --reformat

# make test makes its test databases afresh, one per pytest-xdist process, and spreads the suite over the cores.
# It ends with the 25 longest tests (set-up, call and teardown apart), so CI's output says where the time went.
test: setup lint
	$(VENV)/bin/pytest --create-db -n $(TEST_WORKERS) --dist $(TEST_DIST) --durations=25

# No lint, and the test databases of the last run kept (after a model change: PYTEST_ADDOPTS=--create-db).
test-fast: setup
	$(VENV)/bin/pytest --reuse-db -n $(TEST_WORKERS) --dist $(TEST_DIST)

# The benchmark (README: Performance), not part of make test: its own databases (names containing
# "bench"), gunicorn as deployed on 127.0.0.1:$${BENCH_PORT:-8100}, locust from requirements-bench.txt.
$(STAMPS)/bench-venv: requirements-bench.txt $(STAMPS)/venv
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	@touch $@

bench-venv: venv $(STAMPS)/bench-venv

bench: services static bench-venv
	$(PY) -m bench.run

bench-quick: services static bench-venv
	$(PY) -m bench.run --quick

clean:
	rm -rf $(STAMPS) staticfiles static/css static/govuk static/autocomplete var
