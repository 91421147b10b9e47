# Everything the README promises runs through here; the virtual environment is the project's own.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test check lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,strongswan,dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/lwip-enb demo

test: setup
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check lwip_enb tests examples
	$(BIN)/mypy lwip_enb

check: lint test

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
