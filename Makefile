# Traza — two commands: `make run` (set up and serve) and `make test` (set up, check and run the suite).
SHELL := /bin/bash
# The newest Python 3.11+ that actually runs here (Django 6.1 on 3.12+, Django 5.2 LTS on 3.11).
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3.11 python3; do \
	if $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then echo $$p; break; fi; done)
VENV ?= .venv
BIN := $(VENV)/bin
# Exported: every command `make run` starts (migrate, load-demo, serve) links e-mails to this port.
export PORT ?= 8000
# Two stamps: `make run` installs the runtime dependencies only, `make test` adds the test extra.
CKSUM := $(shell cat pyproject.toml | cksum | cut -d' ' -f1)
STAMP := $(VENV)/.installed-run-$(CKSUM)
TEST_STAMP := $(VENV)/.installed-test-$(CKSUM)

.PHONY: run test install install-test check lint format messages screenshot clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Traza needs Python 3.11 or newer on the PATH." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@rm -f $(VENV)/.installed-run-* && touch $@

# The test extra holds the runtime dependencies too, so it marks both installed.
$(TEST_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-run-* $(VENV)/.installed-test-* && touch $(STAMP) $@

install: $(STAMP)

install-test: $(TEST_STAMP)

run: install
	$(BIN)/traza migrate
	$(BIN)/traza load-demo --refresh-dates
	$(BIN)/traza serve --port $(PORT)

# The checks that are quick come first (together some 5 s): style, formatting, a model change
# without its migration, types; then the suite.
test: install-test check
	@$(BIN)/python -m pytest -n auto $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure" >&2; exit 1; fi; exit $$rc

lint: install-test check

check: install-test
	$(BIN)/python -m ruff check src tests tools
	$(BIN)/python -m ruff format --check src tests tools
	DATABASE_URL=sqlite://:memory: DJANGO_SETTINGS_MODULE=traza.settings \
		$(BIN)/python -m django makemigrations --check --dry-run
	$(BIN)/python -m mypy

format: install-test
	$(BIN)/python -m ruff format src tests tools
	$(BIN)/python -m ruff check --fix src tests tools

# Re-extract the catalogues (needs GNU gettext), fill English, compile both (pure Python).
# Translate new Spanish entries in src/traza/locale/es/LC_MESSAGES/django.po, then run it again.
messages: install-test
	cd src/traza && ../../$(BIN)/django-admin makemessages -l es -l en --no-obsolete \
		--settings=traza.settings -i 'demo/*'
	$(BIN)/python tools/fill_catalogues.py

# The page benchmark of issue 15 (bench/pages.py, bench/README.md): PostgreSQL, gunicorn, the
# same-bytes reference, wrk if installed; minutes per size. Not part of `make test`.
# BENCH_ARGS: more options, e.g. --load-sizes 10000 (the other sizes in-process only).
BENCH_SIZES ?= 10000 200000
BENCH_ARGS ?=
.PHONY: bench
bench: install
	$(BIN)/python bench/pages.py --sizes "$(BENCH_SIZES)" $(BENCH_ARGS)

screenshot: install-test
	$(BIN)/python tools/screenshot.py docs/img

clean:
	rm -rf $(VENV) var/test-*
