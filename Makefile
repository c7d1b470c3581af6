# Scrutiny: `make run` starts the demo, `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The first Python 3.12+ on the PATH (pyenv reads .python-version).
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
PYTEST_ARGS ?=
# make run PORT=8001 serves on another port.
PORT ?= 8000

.PHONY: help install run serve test lint format check-deploy test-postgres clean bench-pdf bench-pages backup restore

help:
	@echo "make run           set up, load the demo council and serve it on http://127.0.0.1:8000"
	@echo "                   (make run PORT=8001 for another port)"
	@echo "make test          the whole test suite (SQLite, or DATABASE_URL's database)"
	@echo "make test-postgres the whole suite on a throw-away PostgreSQL database"
	@echo "make lint          ruff, mypy and djlint checks;  make format  formats code and templates"
	@echo "make check-deploy  Django's deployment checks under production settings"
	@echo "make bench-pdf     agenda pack build times: ~20, 100 and 400 pages, cold and warm"
	@echo "make bench-pages   page times on a generated ten-year council, on PostgreSQL (BENCH_ARGS=--help)"
	@echo "make backup        the database and uploaded files into backups/ (BACKUP_DIR=…)"
	@echo "make restore BACKUP=file  restore a backup into an empty database (REPLACE=1 to write over one)"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (python3.12 on the PATH)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

# uv comes from PyPI into the virtualenv when it is not installed already.
$(BIN)/uv: | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.13"

$(VENV)/.synced: pyproject.toml uv.lock | $(BIN)/uv
	$(BIN)/uv sync --frozen --python $(BIN)/python
	@touch $@

install: $(VENV)/.synced

run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	$(MANAGE) collectstatic --no-input --verbosity 0
	@echo
	@echo "Scrutiny is starting on http://127.0.0.1:$(PORT) (Ctrl-C stops it)."
	@echo "Demo sign-ins, each with the password scrutiny-demo-2026:"
	@echo "  officer (scrutiny officer), clerk (clerk), councillor (councillor), admin (administrator)"
	@echo "Officer, clerk and admin then ask for a second factor: the code from an authenticator app"
	@echo "holding the demo key SCRUTINYDEMOTWOTHOUSANDTWENTYSIX, or from: $(MANAGE) demo_code"
	@echo "The task worker (agenda packs, Word papers, e-mail alerts) runs beside it."
	@echo
	@trap 'kill 0' EXIT; \
	$(MANAGE) worker --queue-name '*' & \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/djlint templates --check
	$(BIN)/djlint templates --lint

# djlint exits 1 when it has changed a file; the check after it fails only if one is still off.
format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint templates --reformat --quiet || $(BIN)/djlint templates --check --quiet

# The object store the two-host test starts (Azurite, Azure Storage's emulator), from its lock file.
AZURITE := .ci/azurite/node_modules/.bin/azurite-blob
$(AZURITE): .ci/azurite/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix .ci/azurite --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm is not installed: the two-host test cannot start its object store (Debian: apt-get install npm)."; fi

test: lint $(AZURITE)
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/scrutiny_test_run} $(BIN)/pytest -n 2 $(PYTEST_ARGS)

check-deploy: install
	SCRUTINY_ENVIRONMENT=production DEBUG=false \
	SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	ALLOWED_HOSTS=scrutiny.example.gov.uk DATABASE_URL=sqlite:///$(CURDIR)/scrutiny.sqlite3 \
	$(MANAGE) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache

bench-pdf: install
	$(BIN)/python bench/pdf.py

# Page times at scale on a throw-away PostgreSQL database (bench/pages.py says how).
BENCH_ARGS ?=
bench-pages: install
	$(BIN)/python bench/pages.py $(BENCH_ARGS)

# Backups: the database and the uploaded files in one archive (home/backups.py explains it).
BACKUP_DIR ?= backups
backup: install
	$(MANAGE) backup $(BACKUP_DIR)

restore: install
	@test -n "$(BACKUP)" || { echo "Say which backup: make restore BACKUP=backups/scrutiny-backup-….tar.gz"; exit 1; }
	$(MANAGE) restore "$(BACKUP)" $(if $(REPLACE),--replace)
