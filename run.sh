#!/usr/bin/env bash
# The set-up commands of the README:
#   bash run.sh examples   — install into .venv, then build every input_yaml/*.yaml into output/
#   bash run.sh test       — install into .venv (with test extras) and Debian's chromium for the
#                            browser tests, then the linters and the test suite
#   bash run.sh serve [选项] — install into .venv (with the service), then start the web service
#                            on this folder (input_yaml/ → output/), http://127.0.0.1:8000/
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

# The browser tests drive the system's chromium (Debian's package; Playwright's own browser
# download is not used). Installed once, as root (or through sudo); skipped when it is there.
chromium() {
    if [ -x /usr/bin/chromium ]; then
        return
    fi
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        if ! command -v sudo >/dev/null; then
            echo "浏览器测试需要 chromium：请以 root 运行，或先安装：apt-get install -y chromium" >&2
            exit 1
        fi
        sudo=sudo
    fi
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

case "${1:-}" in
    examples)
        install ""
        "$VENV/bin/python" -m builder build --allow-incomplete input_yaml/*.yaml -o output
        ;;
    test)
        install "[test]"
        chromium
        shift
        # the linters first: style and errors (ruff), types (mypy), the layers (import-linter,
        # run inside the test suite: tests/test_architecture.py), then every test
        "$VENV/bin/ruff" check builder tests bench
        "$VENV/bin/mypy"
        # one worker per core (pytest-xdist): on two cores the suite takes 2 minutes instead of
        # 3¾; a worker that runs out of tests takes some of another's (worksteal: no test relies
        # on one before it); `-n 0` after the command runs it in one process
        BUDGET_BUILDER_BROWSER_TESTS=required "$VENV/bin/python" -m pytest -n auto --dist worksteal "$@"
        ;;
    serve)
        install "[serve]"
        shift
        exec "$VENV/bin/python" -m builder serve . --allow-incomplete "$@"
        ;;
    *)
        echo "用法：bash run.sh examples | bash run.sh test | bash run.sh serve" >&2
        exit 2
        ;;
esac
