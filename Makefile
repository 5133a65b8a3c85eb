# Moodline's two entry points. `make run` runs Moodline; `make test` runs the whole test suite.
# Both set everything up on a fresh Debian/Ubuntu machine (system packages need root or sudo).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LINKED := $(VENV)/.linked-files
PACKAGE_DIRS := board cli deploy daemon extension models widget

.PHONY: run test check setup system-deps lint

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]" --config-settings editable_mode=strict
	touch $(STAMP)

# The `moodline` namespace maps folders (cli/, daemon/, widget/, ...) onto packages (pyproject.toml).
# The editable install links every file into build/__editable__*; a new or removed file re-links.
setup: $(STAMP)
	@find $(PACKAGE_DIRS) -type f -not -path '*/__pycache__/*' | sort > $(LINKED).new
	@cmp -s $(LINKED).new $(LINKED) || { echo "linking the moodline package's files"; \
		$(BIN)/pip install --quiet --no-deps -e . --config-settings editable_mode=strict; }
	@mv $(LINKED).new $(LINKED)

system-deps:
	bash .ci/system-deps

# On a desktop, Moodline uses the login keyring. On a headless Linux box with no D-Bus session it
# says so and starts a session keyring for this run (GNOME Keyring, installed by system-deps).
run: system-deps setup
	@if [ -n "$$DBUS_SESSION_BUS_ADDRESS" ] || [ "$$(uname)" != "Linux" ]; then \
		$(BIN)/moodline up; \
	else \
		echo "moodline: no desktop session found: running inside a D-Bus session with GNOME Keyring"; \
		echo "          (its keyring file is ~/.local/share/keyrings; on a desktop your login keyring is used)"; \
		dbus-run-session -- sh -c 'printf "%s" "$${MOODLINE_HEADLESS_KEYRING_PASSWORD:-moodline}" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec $(BIN)/moodline up'; \
	fi

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy -p moodline && $(BIN)/mypy tests benchmarks docs

# The fast inner loop (about 30 s on 2 cores): unit and API tests with the real model, no browser,
# no Qt window, no real processes or installs. `make test` stays the whole suite and CI's command.
check: setup
	$(BIN)/python -m pytest -q tests/unit tests/api

test: system-deps setup lint
	$(BIN)/python -m pytest
