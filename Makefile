# tuifeed: `make run` plays the bundled clips, `make test` runs the suite, `make check` lints. All set up what is missing.
VENV        := .venv
PY          := $(VENV)/bin/python
PYTHON      ?= python3
RUN_DEBS    := libvlc5 vlc-plugin-base libvlc-bin
TEST_DEBS   := $(RUN_DEBS) tmux ffmpeg nginx
PYTEST_ARGS ?=

.PHONY: run test check bench media setup setup-test snapshot-update clean

run: setup
	$(VENV)/bin/tuifeed

test: setup-test
	$(PY) -m pytest $(PYTEST_ARGS)

snapshot-update: setup-test
	TUIFEED_UPDATE_SNAPSHOTS=1 $(PY) -m pytest tests/pages/test_pages_snapshots.py -q
	@echo "Look at each tests/snapshots/*.svg (rsvg-convert x.svg -o x.png) before committing."

check: setup
	$(VENV)/bin/ruff check tuifeed tests benchmarks media
	$(VENV)/bin/ruff format --check tuifeed tests benchmarks media
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

bench: setup-test
	@DEBS="mpv xvfb imagemagick patchelf" sh .ci/apt-ensure
	sh benchmarks/kitty_prefix.sh >/dev/null
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) benchmarks/vs_mpv.py
	$(PY) benchmarks/kitty_pixels.py
	$(PY) benchmarks/playback.py
	$(PY) benchmarks/render.py
	$(PY) benchmarks/import.py
	$(PY) benchmarks/recommend.py
	$(PY) benchmarks/recommend_real.py
	$(PY) benchmarks/recommend_ceiling.py --no-replay
	$(PY) benchmarks/store_open.py
	$(PY) benchmarks/reliability.py
	$(PY) benchmarks/remote.py
	$(PY) benchmarks/data.py
	$(PY) benchmarks/pages.py
	$(PY) benchmarks/install.py

media: setup
	$(PY) media/make_media.py

setup: $(VENV)/.installed
	@DEBS="$(RUN_DEBS)" sh .ci/apt-ensure

setup-test: $(VENV)/.installed
	@DEBS="$(TEST_DEBS)" sh .ci/apt-ensure

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "tuifeed needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 1; }
	@# Debian and Ubuntu ship venv's ensurepip in its own package (python3.X-venv), missing on a fresh system.
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || \
		DEBS="python$$($(PYTHON) -c 'import sys; print(*sys.version_info[:2], sep=".")')-venv" sh .ci/apt-ensure
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@# -qq: setuptools' "Editable installation" notice (a warning box pip shows at -q) is not a problem.
	$(PY) -m pip install --quiet --quiet -e '.[dev]'
	@touch $@

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
