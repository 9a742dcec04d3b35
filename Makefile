# Retret: `make run` serves the app with the demo retreats, `make test` runs the whole suite.
# Both install what is missing: Debian packages with apt when run as root (otherwise they print the
# apt-get command to run), and the Python packages into .venv.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# WeasyPrint's system libraries and gettext (for the compiled translations); Chromium for browser tests.
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext
TEST_DEBS := $(RUN_DEBS) chromium poppler-utils

# Installs the Debian packages given that are missing (as root), or names the apt-get command to run.
ensure_debs = missing=""; \
	for pkg in $(1); do dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "ok installed" || missing="$$missing $$pkg"; done; \
	if [ -z "$$missing" ]; then true; \
	elif [ "$$(id -u)" = 0 ]; then echo "Installing Debian packages:$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else echo "Missing Debian packages:$$missing. Install them with: sudo apt-get install$$missing" >&2; exit 1; fi

.PHONY: run test lint bench messages deps-run deps-test migrate demo clean help

help:
	@echo "make run    install what is missing, migrate, load the demo retreats, serve on http://$(HOST):$(PORT)"
	@echo "make test   the whole suite (SQLite by default; DATABASE_URL/REDIS_URL for PostgreSQL/Redis)"
	@echo "make lint   ruff check and format check, and the import layers (import-linter)"
	@echo "make bench  benchmarks in bench/"

# Links follow the address a request came to; SERVE_URL is the one for work done with no request behind it.
run: deps-run $(VENV)/.installed messages migrate demo
	@echo "Retret runs on http://$(HOST):$(PORT)/ (Ctrl+C stops it)"
	SERVE_URL=http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

test: deps-test $(VENV)/.installed messages
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

bench: deps-run $(VENV)/.installed messages
	$(PY) bench/participant_list_pdf.py
	$(PY) bench/import_xlsx.py
	$(PY) bench/import_hostile.py
	$(PY) bench/enrollment_list_queries.py
	$(PY) bench/attendance_set.py
	$(PY) bench/evaluation_results.py
	$(PY) bench/certificates_issue.py
	$(PY) bench/certificates_signing.py

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

demo: $(VENV)/.installed
	$(PY) manage.py seed_demo

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv -v 0

deps-run:
	@$(call ensure_debs,$(RUN_DEBS))

deps-test:
	@$(call ensure_debs,$(TEST_DEBS))

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version' || exit 1
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); $(call ensure_debs,python3-venv) && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

clean:
	rm -rf $(VENV) staticfiles var/screenshots
