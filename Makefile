# Reelwright: the two commands a new machine needs are `make run` and
# `make test`. Everything else builds on the same virtual environment.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages: Chinese fonts for subtitles and cards; the Qt runtime
# libraries for a real window (and a virtual screen for screenshots).
DEBIAN_PACKAGES := fonts-noto-cjk libpulse0 xvfb libxcb-icccm4 libxcb-keysyms1 \
	libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3
# The shared sample folder beside the checkout when there is one, else our own.
SAMPLES ?= $(firstword $(wildcard ../shared/samples) tests/data/content)

.PHONY: run demo test bench lint format system-deps venv clean

run: venv system-deps
	$(BIN)/python -m desktop

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Installs the Debian packages that are missing, when this is Debian or
# Ubuntu and we may (root, or passwordless sudo). Elsewhere it says what to do.
system-deps:
	@sh scripts/system-deps.sh $(DEBIAN_PACKAGES)

test: venv system-deps
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

demo: venv system-deps
	@mkdir -p out/demo
	@for sample in $(SAMPLES)/*; do \
		name=$$(basename "$$sample"); name=$${name%.*}; \
		echo "Rendering $$sample"; \
		REELWRIGHT_HOME=$${REELWRIGHT_HOME:-.home/demo} $(BIN)/reelwright make \
			"$$sample" -o "out/demo/$$name.mp4" || exit 1; \
		REELWRIGHT_HOME=$${REELWRIGHT_HOME:-.home/demo} $(BIN)/reelwright make \
			"$$sample" --format shorts -o "out/demo/$$name-shorts.mp4" || exit 1; \
	done
	@ls -l out/demo

bench: venv system-deps
	$(BIN)/python -m benchmarks

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) out .home .pytest_cache .mypy_cache .ruff_cache
