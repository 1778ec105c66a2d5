# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# The PostgreSQL that CI provides; set TEST_POSTGRES_URL to use another.
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: install frontend pdf-libraries browsers nginx run demo-users test timed-lint test-sqlite test-postgres lint serve stack stack-stop

install: $(VENV)/.installed frontend

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# The front end (GOV.UK Frontend from npm, the portal's Sass and scripts), built into
# static/ by `npm run build` (frontend/build.mjs); the output is not committed. Needs
# Node.js 18 or later and npm. `npm ci` runs again when package.json or package-lock.json
# change; the build runs again when a source is newer than the stylesheet or any output is
# missing.
FRONTEND_SOURCES := $(wildcard frontend/*.scss frontend/*.mjs frontend/js/* frontend/images/*)
FRONTEND_OUTPUT := static/portal/portal.css static/vendor/govuk/govuk-frontend.min.js \
	static/vendor/htmx/htmx.min.js \
	$(patsubst frontend/js/%,static/portal/%,$(wildcard frontend/js/*)) \
	$(patsubst frontend/images/%,static/portal/%,$(wildcard frontend/images/*))

frontend: static/portal/portal.css
	@ls $(FRONTEND_OUTPUT) >/dev/null 2>&1 || npm run build

static/portal/portal.css: node_modules/.package-lock.json $(FRONTEND_SOURCES)
	npm run build

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "make install needs Node.js (18 or later) and npm" >&2; exit 1; }
	npm ci --ignore-scripts --omit=optional --no-audit --no-fund
	touch $@

# Local development: SQLite, DEBUG on, the bundled data loaded.
# A background worker (django-tasks' db_worker) builds the report PDFs when a round is
# scheduled or a download asks for one; it runs beside the server and stops with it, and
# recover_builds first queues again the builds a stopped worker left.
run: export DEBUG = 1
run: install pdf-libraries
	$(MANAGE) migrate --noinput
	$(MANAGE) load_portal_data
	$(MANAGE) recover_builds
	$(MANAGE) db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

# Demo staff users for the workspace (one per role; passwords printed, never stored) and a
# demo 2006 round to try it on. Run after `make run` has loaded the data, in another terminal.
demo-users: export DEBUG = 1
demo-users: install
	$(MANAGE) migrate --noinput
	$(MANAGE) create_demo_staff

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run

# The whole suite, on both databases, each on $(WORKERS) workers (pytest-xdist, one test
# database per worker). Each test runs where it tells us something (tests/conftest.py):
# tests that never touch a database (marker nodb) and checks of the bundled data against
# the published record (record) once, on SQLite; real-browser and
# real-PDF tests and the sweeps of every public address (browser, pdf, sweep) once, on
# PostgreSQL, the production database; everything
# else on both. Prints the time of each part and of the whole.
WORKERS ?= 2
PYTEST := $(BIN)/pytest -n $(WORKERS) --dist loadfile
test: install
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory timed-lint pdf-libraries browsers nginx && \
	$(MAKE) --no-print-directory test-sqlite SELECT="not browser and not pdf and not sweep" && \
	$(MAKE) --no-print-directory test-postgres SELECT="not nodb and not record"; \
	status=$$?; \
	echo "make test: $$(( $$(date +%s) - start )) s in all (exit $$status)"; \
	exit $$status

timed-lint:
	@start=$$(date +%s); $(MAKE) --no-print-directory lint && \
	echo "lint: $$(( $$(date +%s) - start )) s"

# Debian packages, installed when missing, which needs root (as on CI) or a prepared
# machine; elsewhere the command to run is printed (and CI fails).
define apt_install
	if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1); \
	else \
		echo "Needed: sudo apt-get install $(1)" >&2; \
		[ "$$CI" != true ]; \
	fi
endef

# WeasyPrint (the report PDFs) needs Pango.
pdf-libraries:
	@{ ldconfig -p 2>/dev/null || /sbin/ldconfig -p; } | grep -q libpangoft2-1.0 || { $(call apt_install,libpango-1.0-0 libpangoft2-1.0-0); }

# The browser tests drive Debian's chromium through Playwright (no browser download); the
# report tests draw a PDF's first page with poppler's pdftoppm.
CHROMIUM := /usr/bin/chromium
browsers:
	@test -x $(CHROMIUM) || { $(call apt_install,chromium); }
	@command -v pdftoppm >/dev/null || { $(call apt_install,poppler-utils); }

# nginx, in front of the gunicorns in `make stack`; tests/test_stack_config.py checks its
# configuration with `nginx -t`.
NGINX := /usr/sbin/nginx
nginx:
	@test -x $(NGINX) || { $(call apt_install,nginx); }

# The production shape on loopback (deploy/stack.sh, docs/operations.md): nginx on
# http://127.0.0.1:8080 in front of two gunicorns, one PostgreSQL database (STACK_DATABASE_URL,
# created when missing), one Redis and the report worker, DEBUG off. Run it again to restart
# everything on the current code; `make stack-stop` stops it.
stack: install pdf-libraries nginx
	deploy/stack.sh start

stack-stop:
	deploy/stack.sh stop

# Alone, each runs the whole suite on its database; `make test` passes SELECT.
SELECT ?=
test-sqlite: install
	DATABASE_URL=sqlite:///$(CURDIR)/test-db.sqlite3 $(PYTEST) $(if $(SELECT),-m "$(SELECT)")

# Without PostgreSQL (not on CI, which fails instead), the tests meant for it run on
# SQLite, so that none is left out.
test-postgres: install
	@TEST_POSTGRES_URL=$(TEST_POSTGRES_URL) $(BIN)/python scripts/require_postgres.py; \
	status=$$?; \
	if [ $$status -eq 3 ]; then \
		DATABASE_URL=sqlite:///$(CURDIR)/test-db.sqlite3 $(PYTEST) -m "(browser or pdf or sweep)"; \
		exit $$?; \
	elif [ $$status -ne 0 ]; then exit $$status; fi; \
	DATABASE_URL=$(TEST_POSTGRES_URL) $(PYTEST) $(if $(SELECT),-m "$(SELECT)")
