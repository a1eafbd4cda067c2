# The two commands a user needs are `make run` and `make test`; both set up .venv by themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-test
PKG_STAMP := $(VENV)/.installed-package

.PHONY: run test lint format screenshots bench package clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

$(PKG_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,package]'
	@touch $@

run: $(STAMP)
	$(BIN)/attentive-desktop --sandbox

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m attentive_desktop.gui.screenshots docs/screenshots

# The Linux bundle dist/attentive-desktop/ and its tarball (see packaging/README.md).
package: $(PKG_STAMP)
	$(BIN)/python packaging/build_linux.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
