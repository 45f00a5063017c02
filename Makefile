# The two commands: `make run` and `make test`. Everything else is a step they take.
PYTHON ?= python3.12
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DEBUG ?= 1

.PHONY: run test lint types pytest db-tests install migrate demo bench openapi backup restore lock clean messages check-deployment

# Directories makemessages and compilemessages do not walk into (their own catalogues or no strings).
I18N_IGNORE := --ignore .venv --ignore bench --ignore static --ignore node_modules --ignore data
LANGUAGES_TRANSLATED := de fr es ar

## install: system packages (Debian), .venv from the lock file, compiled catalogues; quick when done
install:
	PYTHON=$(PYTHON) scripts/setup
	$(BIN)/python manage.py compilemessages $(I18N_IGNORE) -v 0

## messages: refresh locale/<lang>/LC_MESSAGES/django.po from the code and templates (README: Translations)
messages:
	$(BIN)/python manage.py makemessages $(foreach l,$(LANGUAGES_TRANSLATED),-l $(l)) --no-obsolete -e html,txt,py,svg \
		$(I18N_IGNORE)

migrate: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py createcachetable

## demo: each app loads its own demo data, lower apps first (manage.py load_demo runs the same steps)
demo: migrate
	$(BIN)/python manage.py load_demo_partnerships
	$(BIN)/python manage.py load_demo_inkind
	$(BIN)/python manage.py load_demo_knowledge
	$(BIN)/python manage.py load_demo_meetings
	$(BIN)/python manage.py load_demo_alliances
	$(BIN)/python manage.py analyze_db

## make run: set up, load the reference and demo data, serve on http://127.0.0.1:$(PORT) with a worker
run: demo
	@echo "Serving the Partnership Hub on http://127.0.0.1:$(PORT) (sign in with a demo account above)"
	$(BIN)/python manage.py db_worker & WORKER=$$!; \
	trap "kill $$WORKER 2>/dev/null" EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## make test: set up, then lint, type-check and run the whole test suite
test: install lint types pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types:
	$(BIN)/mypy hub bench

pytest:
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

## check-deployment: what a deployment's configuration lacks, one line each (docs/operations.md)
# (with the environment's DEBUG, not this Makefile's development default)
check-deployment:
	DEBUG=$(if $(filter file,$(origin DEBUG)),,$(DEBUG)) $(BIN)/python -m hub.deployment

## db-tests: the database tests, for CI to repeat with DATABASE_URL set to PostgreSQL or MariaDB
db-tests: install
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q -m "not browser"

bench: install
	$(BIN)/python -m bench.run --size $(or $(SIZE),S) --db $(or $(DB),sqlite)

## openapi: refresh the committed OpenAPI document after changing the API
openapi: install
	$(BIN)/python manage.py export_openapi docs/openapi.json

## backup: write DATA_DIR/backups/hub-<time>.tar.gz (or OUTPUT=path); restore FILE=path [YES=1] (docs/operations.md)
backup:
	$(BIN)/python manage.py backup $(if $(OUTPUT),--output "$(OUTPUT)")

restore:
	@test -n "$(FILE)" || { echo "usage: make restore FILE=path/to/hub-backup.tar.gz [YES=1]"; exit 2; }
	$(BIN)/python manage.py restore "$(FILE)" $(if $(YES),--yes)

lock:
	$(PYTHON) -m uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.12 -o requirements.lock

clean:
	rm -rf $(VENV) staticfiles .mypy_cache .ruff_cache
