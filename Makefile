# Hearth developer entry points. `make help` lists them.
# Everything runs from .venv; `make run` / `make test` start an embedded Postgres and Redis
# (hearth/embedded.py) unless DATABASE_URL / REDIS_URL point at real ones.

PYTHON     ?= /usr/bin/python3
VENV       := .venv
PY         := $(VENV)/bin/python
STAMP      := $(VENV)/.installed
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help venv run test lint fmt bench bench-full load clean-var chromium wrk

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

# Re-install only when pyproject.toml changed since the last install (the stamp's mtime).
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -e '.[dev,local]'
	@touch $(STAMP)

venv: $(STAMP) ## create .venv and install hearth[dev] (only when pyproject.toml changed)

run: venv ## migrate, seed demo data, serve web + worker (embedded Postgres/Redis unless configured)
	$(PY) -m hearth.embedded run

# Browser tests drive Debian's chromium; without it they skip with a reason.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "hint: 'sudo apt-get install chromium' to run the browser tests (they skip without it)"; fi; }

test: venv chromium ## ruff, import contracts, then pytest (embedded servers unless DATABASE_URL is set); PYTEST_ARGS=...
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "$(PY) -m pytest -q $(PYTEST_ARGS)"; $(PY) -m pytest -q $(PYTEST_ARGS); \
	else \
	  $(PY) -m hearth.embedded exec -- $(PY) -m pytest -q $(PYTEST_ARGS); \
	fi

lint: venv ## ruff check + format check + import contracts
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/ruff format --check .

fmt: venv ## ruff format + autofix
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The forum-reads bench drives Debian's wrk; without it bench/loadgen.py falls back to a Python load loop.
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq wrk || { apt-get update -qq && apt-get install -y -qq wrk; }; \
	  else echo "hint: 'sudo apt-get install wrk' for the load generator (bench falls back to a Python one)"; fi; }

bench: venv wrk ## quick benchmark on embedded servers
	$(PY) -m hearth.embedded exec -- $(PY) bench/run.py --quick

load: venv wrk ## sustained load (64 connections, 60 s, forum pages and API; any failed request fails)
	$(PY) -m hearth.embedded exec -- $(PY) bench/run.py --quick --only load

bench-full: venv wrk ## full benchmark on embedded servers
	$(PY) -m hearth.embedded exec -- $(PY) bench/run.py

clean-var: ## stop embedded servers and delete their data (var/)
	@if [ -x $(PY) ]; then $(PY) -m hearth.embedded stop || true; fi
	rm -rf var
