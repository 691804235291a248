#!/usr/bin/env bash
# Creates (or refreshes) the Python environment the interop tests use:
# target/python-env, with the pinned packages of tests/interop/requirements.txt.
# Prints the environment's python on its last line.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
env="${GLOSS_PYTHON_ENV:-$root/target/python-env}"
req="$root/tests/interop/requirements.txt"
stamp="$env/.requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [[ ! -x "$env/bin/python" || ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
    py="$(command -v python3 || command -v python)"
    "$py" -m venv --clear "$env" >&2
    "$env/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >&2
    echo "$want" > "$stamp"
fi
echo "$env/bin/python"
