# Two commands do everything on a fresh machine with Python 3.11:
#   make report   creates .venv if needed, runs every notebook on corpus/, writes figures/ and reports/*.html
#   make test     creates .venv if needed, runs the test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: venv report test lab bench clean-cache

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (presslens)" >/dev/null
	touch $@

# make report [CORPUS=dir] [STORY=slug] [OUT=dir]: figures/ and reports/ by default, OUT/figures with OUT
CORPUS ?= corpus
report: venv
	$(BIN)/presslens report --corpus $(CORPUS) $(if $(STORY),--story $(STORY)) $(if $(OUT),--out $(OUT))

test: venv
	$(BIN)/python -m pytest -q

lab: venv
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/

bench: venv
	$(BIN)/python benchmarks/bench.py

clean-cache:
	rm -rf .cache
