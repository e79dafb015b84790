# The two commands: `make demo` (the main job) and `make test`. Both set up what is missing:
# the virtual environment with the project installed, and the local Neo4j from Maven Central.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NEO4J_BUILT := graph/local/target/classpath.txt
CHROMIUM := /usr/bin/chromium

.PHONY: setup demo test lint bench clean messages

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

$(NEO4J_BUILT): $(INSTALLED) graph/local/pom.xml $(wildcard graph/local/src/main/java/ipcredit/*.java)
	$(BIN)/ipcredit db build

setup: $(INSTALLED) $(NEO4J_BUILT)

# Headless Chromium for the browser test (Debian's package; Playwright drives it, never `playwright install`).
$(CHROMIUM):
	if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium

PORT ?= 8000

demo: setup
	$(BIN)/ipcredit demo --port $(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint $(CHROMIUM)
	$(BIN)/pytest

# Refresh the message catalogues from the code and templates (then translate the new zh_Hans entries).
messages: setup
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k ngettext:1,2 --add-location=file -w 120 -o $(VENV)/messages.pot .
	$(BIN)/pybabel update -i $(VENV)/messages.pot -d api/i18n/locale --ignore-obsolete -w 120

clean:
	rm -rf $(VENV) graph/local/target .ipcredit .mypy_cache .ruff_cache .pytest_cache
