# The two set-up commands the README promises: `make serve` and `make test`.
VENV ?= .venv
PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve test test-deps lint bench

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip

# Install ascolto on the embedded default (SQLite + outbox) and run it with its demo page.
serve: $(VENV)/bin/python
	$(VENV)/bin/pip install -q .
	$(VENV)/bin/ascolto serve

# Debian packages the tests use: Chromium for the browser tests (Playwright drives it; it cannot
# download its own), and the real tools other tests run. One package a line.
APT_PACKAGES := \
	chromium \
	fonts-dejavu-core \
	spamassassin \
	hugo \
	jekyll

# Install whichever of APT_PACKAGES is missing (apt-get update only when something is).
test-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

# Install everything the tests need, then run the whole suite.
test: test-deps $(VENV)/bin/python
	$(VENV)/bin/pip install -q -e '.[test,deploy]' -e integrations/mkdocs-ascolto
	npm ci --prefix widget --no-audit --no-fund
	npm ci --prefix tests/integrations/npm --no-audit --no-fund
	$(VENV)/bin/python -m pytest -p no:cacheprovider

lint: $(VENV)/bin/python
	$(VENV)/bin/ruff check backend tests bench

bench: $(VENV)/bin/python
	@for b in bench/*.py; do echo "== $$b"; $(VENV)/bin/python $$b || exit 1; done
