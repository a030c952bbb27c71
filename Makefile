# Two commands: `make run` (the app with demo data) and `make test` (everything CI runs).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
REQS_HASH := $(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-10)
STAMP := $(VENV)/.installed-$(REQS_HASH)
DB_FILE := data/ioa.db
PG_BIN := $(firstword $(wildcard /usr/lib/postgresql/*/bin))

.PHONY: run test lint format bench system-deps clean-db

run: $(STAMP) $(DB_FILE)
	$(VENV)/bin/streamlit run serve.py --server.port 8501 --server.headless true

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

$(DB_FILE): | $(STAMP)
	$(PY) -m ioa_assess seed-demo

# Debian's Chromium, PostgreSQL server and nginx for the browser, PostgreSQL and several-servers
# tests (root only).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	id postgres >/dev/null 2>&1 || missing="$$missing postgresql"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing system packages:$$missing (run as root, or install them)"; exit 1; fi; \
	fi

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: $(STAMP) system-deps lint
	$(VENV)/bin/pytest

bench: $(STAMP)
	$(PY) bench/answer_click.py
	$(PY) bench/pages.py
	$(PY) bench/save_answer.py

clean-db:
	rm -f $(DB_FILE) $(DB_FILE)-wal $(DB_FILE)-shm
