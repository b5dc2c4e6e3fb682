# yunwang — the two commands a new user runs: `make demo` and `make test`.
# Both do all set-up themselves: Debian packages (as root), the .venv, the database.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
LAB_VENV := var/lab-venv
# Debian packages the lab, the tests and the demo need.
APT_PACKAGES := python3-venv python3-gdbm snmpd snmp prometheus prometheus-alertmanager chromium chromium-driver \
	postgresql-client fonts-noto-cjk
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
export SNMPSIM_ALLOW_ROOT := true

.PHONY: demo test deps system-deps venv postgres redis lint typecheck pytest-sqlite pytest-postgres clean

demo: deps
	$(PY) manage.py demo

test: deps postgres redis lint typecheck pytest-sqlite pytest-postgres

deps: system-deps venv

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages: $$missing"; \
		if [ "$$(id -u)" != 0 ]; then echo "Need root (or sudo) to apt-get install: $$missing" >&2; exit 1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

venv: $(VENV)/.installed $(LAB_VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

# The lab's snmpsim runs on Debian's python3 (with gdbm: fast data indexing); see lab/agent-requirements.txt.
$(LAB_VENV)/.installed: lab/agent-requirements.txt
	test -x $(LAB_VENV)/bin/python || /usr/bin/python3 -m venv $(LAB_VENV)
	$(LAB_VENV)/bin/python -m pip install -q -r lab/agent-requirements.txt
	touch $@

# Use the PostgreSQL on 127.0.0.1:5432 when one answers; otherwise install and start one. Never skip it.
postgres:
	@if ! pg_isready -q -h 127.0.0.1 -p 5432; then \
		echo "PostgreSQL not answering on 127.0.0.1:5432: installing/starting one"; \
		dpkg-query -W postgresql >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null); \
		v=$$(ls /etc/postgresql | sort -n | tail -1); \
		sed -i 's/^\(host.*127.0.0.1\/32.*\)\(scram-sha-256\|md5\)$$/\1trust/' /etc/postgresql/$$v/main/pg_hba.conf; \
		pg_ctlcluster --skip-systemctl-redirect $$v main start || pg_ctlcluster --skip-systemctl-redirect $$v main reload; \
		for i in $$(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
	fi
	@pg_isready -h 127.0.0.1 -p 5432

# The Celery tests need a real Redis on 127.0.0.1:6379: use the one running, else install and start one (no disk).
redis:
	@if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then \
		echo "Redis not answering on 127.0.0.1:6379: installing/starting one"; \
		command -v redis-server >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null); \
		redis-server --bind 127.0.0.1 --port 6379 --save '' --appendonly no --daemonize yes >/dev/null; \
		for i in $$(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && break; sleep 0.2; done; \
	fi
	@(exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && echo "Redis answering on 127.0.0.1:6379"

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck:
	$(VENV)/bin/mypy .

pytest-sqlite:
	env -u DATABASE_URL $(VENV)/bin/pytest

pytest-postgres:
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -m usesdb

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles var
