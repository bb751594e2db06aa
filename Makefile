# The course's commands. Only Python 3 is needed: `make book` and `make test`
# create .venv and install requirements.txt the first time.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JOBS   ?= 2
REPO_URL ?=
JUPYTERHUB_URL ?=
BOOK_FLAGS := -W -n --keep-going
# Test workers run side by side on few cores: one BLAS thread each, or NumPy's matrix
# products oversubscribe the CPU and slow down by 10-100x (benchmarks/conv_vs_tf.py).
TEST_ENV := OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 OMP_NUM_THREADS=1

CHROMIUM ?= /usr/bin/chromium

.PHONY: help env book book-student pdf test test-newest test-lower test-unit test-notebooks workbook lab benchmark clean

help:
	@echo "make book          build the HTML book into _build/html (warnings are errors)"
	@echo "make test          everything CI runs: test-newest, then test-lower"
	@echo "make test-newest   unit tests, book checks and every notebook under nbval (newest versions)"
	@echo "make test-lower    unit tests and every notebook under nbval at the lower bounds (constraints/lower.txt)"
	@echo "make lab           JupyterLab on your workbook (workbook/; solutions in book/)"
	@echo "make workbook      write the workbook only (never over your edits)"
	@echo "make book-student  the book with solutions hidden, into _build/student"
	@echo "make pdf           the book as one PDF, _build/html/dlcourse.pdf (after make book)"
	@echo "make benchmark     performance figures (benchmarks/)"
	@echo "make clean         remove build outputs (keeps .venv)"

env: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

book: $(STAMP)
ifeq ($(strip $(REPO_URL)),)
	$(BIN)/jupyter-book build $(BOOK_FLAGS) .
else
	$(BIN)/python -m dlcourse book-config --repository-url "$(REPO_URL)" \
	    --jupyterhub-url "$(JUPYTERHUB_URL)" -o _config.publish.yml
	$(BIN)/jupyter-book build $(BOOK_FLAGS) --config _config.publish.yml .
endif
	@echo "The book is built: open $(CURDIR)/_build/html/index.html"

# The student edition is built from student copies of the chapters (answers stubbed,
# solution prose removed), never from the chapters themselves: hide_solutions alone
# leaves the code of gated solutions and the downloadable .ipynb sources in the HTML.
# STUDENT_EXECUTE=off skips running the notebooks (a quick look; the tests use it).
book-student: STUDENT_SRC ?= _build/student_src
book-student: STUDENT_OUT ?= _build/student
book-student: STUDENT_EXECUTE ?= cache
book-student: $(STAMP)
	$(BIN)/python -m dlcourse assign --for-book --execute $(STUDENT_EXECUTE) -o $(STUDENT_SRC)
	$(BIN)/jupyter-book build $(BOOK_FLAGS) --path-output $(STUDENT_OUT) $(STUDENT_SRC)
	@echo "The student edition is built: open $(abspath $(STUDENT_OUT))/_build/html/index.html"

# The PDF: the single-page build (notebooks from the execution cache of `make book`)
# printed by headless Chromium; no TeX needed. Chinese needs a CJK font (fonts-noto-cjk).
pdf: $(STAMP)
	$(BIN)/jupyter-book build $(BOOK_FLAGS) --builder singlehtml .
	$(BIN)/python -m dlcourse.bookpdf _build/singlehtml/book/preface.html \
	    _build/html/dlcourse.pdf --chromium "$(CHROMIUM)"

# `make test` is everything CI runs: the newest versions in range (.venv), then the
# declared lower bounds (.venv-lower, see test-lower below).
test: test-newest test-lower

test-newest: $(STAMP)
	$(TEST_ENV) $(BIN)/python -m pytest -n $(JOBS) --dist loadscope tests \
	    --nbval-lax --nbval-current-env --nbval-cell-timeout=300 book

# The lower-bounds check: a second environment, .venv-lower, with every package at the
# lower bound requirements.txt declares (constraints/lower.txt), then the unit tests and
# every chapter under nbval, as test-newest runs them. (Each chapter's student copy is
# checked on that run, so running every chapter here costs about 30 s more than running
# only the version-sensitive five and executing the others' student copies.)
LOWER       := .venv-lower
LOWER_STAMP := $(LOWER)/.installed

$(LOWER_STAMP): requirements.txt pyproject.toml constraints/lower.txt
	@test -x $(LOWER)/bin/python || $(PYTHON) -m venv $(LOWER)
	$(LOWER)/bin/python -m pip install --quiet --disable-pip-version-check \
	    -r requirements.txt -c constraints/lower.txt
	$(LOWER)/bin/python -m pip check
	@touch $(LOWER_STAMP)

# DLCOURSE_BUILD_DIR: the runs at the lower bounds must not fill the book's execution cache.
test-lower: $(LOWER_STAMP)
	$(TEST_ENV) DLCOURSE_BUILD_DIR=_build/lower $(LOWER)/bin/python -m pytest -n $(JOBS) --dist loadscope tests \
	    --nbval-lax --nbval-current-env --nbval-cell-timeout=300 book

test-unit: $(STAMP)
	$(TEST_ENV) $(BIN)/python -m pytest -n $(JOBS) tests

test-notebooks: $(STAMP)
	$(TEST_ENV) $(BIN)/python -m pytest -n $(JOBS) --dist loadscope \
	    --nbval-lax --nbval-current-env --nbval-cell-timeout=300 book

# The workbook: learner copies of the chapters (answers stubbed, solution prose out),
# written by the course's command line the first time and never over a learner's edits
# (cp -n). The worked solutions are the chapters themselves, in book/, one click away in
# JupyterLab's file browser.
WORKBOOK ?= workbook
workbook: $(STAMP)
	rm -rf _build/workbook_fresh
	$(BIN)/python -m dlcourse assign -o _build/workbook_fresh >/dev/null
	mkdir -p $(WORKBOOK) && cp -R -n _build/workbook_fresh/. $(WORKBOOK)/
	@echo "Your workbook is $(WORKBOOK)/ (your edits are kept); worked solutions: book/"

lab: workbook
	$(BIN)/jupyter lab --ServerApp.root_dir=$(CURDIR) --ServerApp.default_url=/lab/tree/$(WORKBOOK)

benchmark: $(STAMP)
	$(BIN)/python benchmarks/notebooks.py

clean:
	rm -rf _build student _config.publish.yml _config.student.yml .pytest_cache
	find . -name .ipynb_checkpoints -prune -exec rm -rf {} +
