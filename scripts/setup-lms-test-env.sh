#!/usr/bin/env bash
# Prepare what the LMS tests and benchmark need; idempotent and quick when already done.
#  - Debian's headless Chromium and chromedriver (apt-get, only as root, only if missing);
#  - Kolibri (pinned) in its own venv at .venv-kolibri/ (its pinned deps clash with ours).
# Tests find Kolibri through $SCHOOLAUTO_KOLIBRI, default .venv-kolibri/bin/kolibri.
set -euo pipefail

KOLIBRI_VERSION="0.19.5"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv-kolibri"
PYTHON="${PYTHON:-python3}"

if [ ! -x /usr/bin/chromedriver ] || [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "setup-lms: installing chromium and chromium-driver from Debian"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "setup-lms: chromium/chromedriver missing; run as root: apt-get install chromium chromium-driver" >&2
  fi
fi

if [ ! -x "$VENV/bin/kolibri" ] || ! "$VENV/bin/python" -c "import kolibri, sys; sys.exit(kolibri.__version__.split('+')[0] != '$KOLIBRI_VERSION')" 2>/dev/null; then
  echo "setup-lms: installing kolibri==$KOLIBRI_VERSION into $VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q "kolibri==$KOLIBRI_VERSION"
fi

"$VENV/bin/kolibri" --version >/dev/null 2>&1 || { echo "setup-lms: $VENV/bin/kolibri does not run" >&2; exit 1; }
echo "setup-lms: ready (kolibri $KOLIBRI_VERSION at $VENV/bin/kolibri, chromedriver $(command -v chromedriver || echo missing))"
