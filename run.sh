#!/usr/bin/env bash
# The two set-up commands of the README:
#   bash run.sh examples   — install into .venv, then build every input_yaml/*.yaml into output/
#   bash run.sh test       — install into .venv (with test extras), then the linters and the test suite
# Everything the PDF needs (WeasyPrint, the CJK font) is installed by pip here.
set -euo pipefail
cd "$(dirname "$0")"

PY=${PYTHON:-python3}
VENV=.venv

install() {
    local extras=$1
    if [ ! -x "$VENV/bin/python" ]; then
        "$PY" -m venv "$VENV"
    fi
    "$VENV/bin/python" -m pip install --quiet --upgrade pip setuptools
    # a regular install (the commands below run from this folder, so `python -m builder` is the
    # source tree; the installed copy serves the console script and the wheel test)
    "$VENV/bin/python" -m pip install --quiet ".$extras"
}

case "${1:-}" in
    examples)
        install ""
        "$VENV/bin/python" -m builder build --allow-incomplete input_yaml/*.yaml -o output
        ;;
    test)
        install "[test]"
        shift
        # the linters first: style and errors (ruff), types (mypy), the layers (import-linter,
        # run inside the test suite: tests/test_architecture.py), then every test
        "$VENV/bin/ruff" check builder tests bench
        "$VENV/bin/mypy"
        "$VENV/bin/python" -m pytest "$@"
        ;;
    *)
        echo "用法：bash run.sh examples | bash run.sh test" >&2
        exit 2
        ;;
esac
