# gongkai: two commands on a fresh machine (python3 and make present, nothing else).
#   make run   set up everything and serve the demo on http://127.0.0.1:8000
#   make test  set up everything and run the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-unit test-e2e setup demo lint lock browser fonts clean benchmark backup

# Hermetic: the venv's own pip (whatever the machine's Python bundles) only installs the pinned pip
# of requirements-bootstrap.lock, by hash; that pip installs the lock with --no-deps, so nothing is
# resolved against the index at install time; scripts/check_install.py then proves the result equals
# the locks and that `pip check` is clean. The machine's pip configuration (find-links, extra index,
# constraints) still applies; a configured location that does not exist only makes pip warn.
$(STAMP): requirements-bootstrap.lock requirements.lock pyproject.toml scripts/check_install.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-bootstrap.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python scripts/check_install.py
	@touch $(STAMP)

setup: $(STAMP)

# Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser)
# and a CJK font so pages render Chinese.
browser:
	@if [ ! -x $(CHROMIUM) ] || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
		echo "Installing Debian's chromium and CJK fonts with apt-get..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

demo: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py seed_demo --url http://$(HOST):$(PORT)
	$(BIN)/python manage.py schedule_reminders
	$(BIN)/python manage.py send_outbox

# The background worker (audit batches) runs beside the web server and stops with it; its
# heartbeat keeps /healthz green.
run: demo
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py reap_audits; \
	$(BIN)/python manage.py run_worker --no-startup-delay & worker=$$!; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT) --noreload

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: setup browser lint
	DJANGO_SETTINGS_MODULE=gongkai.settings.test $(BIN)/python -m pytest

test-unit: setup
	DJANGO_SETTINGS_MODULE=gongkai.settings.test $(BIN)/python -m pytest tests/unit

test-e2e: setup browser
	DJANGO_SETTINGS_MODULE=gongkai.settings.test $(BIN)/python -m pytest tests/e2e

# A backup of the demo (or of whatever DJANGO_SETTINGS_MODULE/DATABASE_URL point to) into
# GONGKAI_BACKUP_DIR (default var/backups), keeping the newest GONGKAI_BACKUP_KEEP.
backup: setup
	$(BIN)/python manage.py backup

benchmark: setup
	@for b in benchmarks/[!_]*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# Re-lock after changing dependencies in pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--python-platform x86_64-unknown-linux-gnu --no-header --index-url https://pypi.org/simple -o requirements.lock

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
