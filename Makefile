# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# The PostgreSQL that CI provides; set TEST_POSTGRES_URL to use another.
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: install run test test-sqlite test-postgres lint serve

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# Local development: SQLite, DEBUG on, the bundled data loaded.
run: export DEBUG = 1
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_portal_data
	$(MANAGE) runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check portal ratings reports tests scripts
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run

test: lint test-sqlite test-postgres

test-sqlite: install
	DATABASE_URL=sqlite:///$(CURDIR)/test-db.sqlite3 $(BIN)/pytest

test-postgres: install
	@TEST_POSTGRES_URL=$(TEST_POSTGRES_URL) $(BIN)/python scripts/require_postgres.py; \
	status=$$?; \
	if [ $$status -eq 3 ]; then exit 0; elif [ $$status -ne 0 ]; then exit $$status; fi; \
	DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest
