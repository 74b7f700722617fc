# Two set-up commands: `make run` (the platform on embedded SQLite with the demo
# region) and `make test` (the whole suite). Both create .venv when missing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint coverage bench messages clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

run: $(BIN)/.installed
	$(BIN)/jiceng migrate --no-input -v 0
	$(BIN)/jiceng demo
	$(BIN)/jiceng serve --port $(PORT)

test: $(BIN)/.installed
	$(BIN)/python -m pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests bench

# 100 % line coverage of the pure rubric engine (issue 5).
coverage: $(BIN)/.installed
	$(BIN)/python -m coverage run --source=src/jiceng/rubrics -m pytest tests/rubrics -q -p no:cacheprovider
	$(BIN)/python -m coverage report --fail-under=100 -m

bench: $(BIN)/.installed
	$(BIN)/python bench/bench_rubrics.py

# Re-extract and compile the Chinese catalogue and list what is left to translate (needs GNU gettext).
messages: $(BIN)/.installed
	PYTHON=$(abspath $(BIN))/python tools/i18n-update.sh

clean:
	rm -rf $(VENV) var/jiceng.sqlite3* .pytest_cache .coverage
