#!/usr/bin/env bash
# The one test command (README, and .ci/run calls it): installs everything the tests need on a fresh
# machine with Python 3.11, then runs every check: ruff (lint + format), mypy, pytest with warnings as errors.
# System parts the tests use for real (Chromium + chromedriver from Debian, a pinned Kolibri in its own
# venv) are installed by scripts/setup-lms-test-env.sh; the tests start Kolibri and SMTP servers themselves.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/python.sh

[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'

if [ -f scripts/setup-lms-test-env.sh ]; then
  bash scripts/setup-lms-test-env.sh
fi

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy"
.venv/bin/mypy schoolauto
echo "== pytest"
.venv/bin/python -m pytest "$@"
