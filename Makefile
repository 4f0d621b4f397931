# The two commands: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install bench loadtest messages lock clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

run: install
	bin/run-portal

test: install
	bin/run-tests

# Query counts and timings of every page on realistic regions (BENCH_CITIES=2000 per region).
bench: install
	$(PY) manage.py bench

# 50 signed-in people against gunicorn with the production settings (PostgreSQL when
# DATABASE_URL is set, SQLite otherwise), at the bench scale.
loadtest: install
	bin/loadtest

# Refresh the translation catalogues after changing UI strings (needs gettext).
messages: install
	$(PY) manage.py makemessages -l ja -l es -l pt_BR --ignore=.venv --ignore=staticfiles --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

# requirements.lock: everything (make run, make test); requirements-runtime.lock: what the
# production image installs, the same versions without the dev tools.
lock:
	$(PYTHON) -m pip install --quiet uv && uv pip compile pyproject.toml --extra dev \
		--python-version 3.11 -o requirements.lock && uv pip compile pyproject.toml \
		--python-version 3.11 -c requirements.lock -o requirements-runtime.lock

clean:
	rm -rf var staticfiles
