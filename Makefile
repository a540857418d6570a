# The contract with a new user: `make run` starts the demo, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CONFIG ?= config/kiosk.toml

# Debian packages the kiosk, its simulators and its tests need (see docs/platform.md).
APT_PACKAGES := libpcsclite-dev pcscd vsmartcard-vpcd mosquitto socat espeak-ng \
	xvfb xauth libgl1 libegl1 libegl-mesa0 libgl1-mesa-dri libmtdev1 \
	fonts-wqy-microhei \
	postgresql chromium \
	debootstrap systemd-container

.PHONY: setup apt venv run run-headless test lint bench clean distclean

setup: apt venv

apt:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "setup: installing Debian packages:$$missing"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -q --no-install-recommends $$missing; \
	  else \
	    echo "setup: these Debian packages are missing:$$missing"; \
	    echo "setup: install them with: sudo apt-get install$$missing  (or run: sudo make setup)"; \
	    exit 1; \
	  fi; \
	fi

venv: $(VENV)/.installed

# Reinstalled only when pyproject.toml changes, so a second `make setup` takes a second.
$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

run: setup
	$(PY) -m demo --config $(CONFIG)

# The same demo on a virtual display (no screen needed); screenshots go to var/screens/.
run-headless: setup
	xvfb-run -a -s "-screen 0 1280x1024x24" $(PY) -m demo --config $(CONFIG) --headless

test: setup lint
	$(PY) -m pytest

lint: venv
	$(VENV)/bin/ruff check .

bench: setup
	$(PY) -m bench

clean:
	rm -rf var .pytest_cache .ruff_cache .hypothesis build *.egg-info
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
