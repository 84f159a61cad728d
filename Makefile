# Quick start: `make serve` (virtualenv, install, build corpus/, serve on :8080)
# and `make test` (install with test tools, run every test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install build serve test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

build: install
	$(BIN)/epistola build --corpus corpus --out build

serve: build
	$(BIN)/epistola serve --build build --host 127.0.0.1 --port 8080

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf build .build.* $(VENV)
