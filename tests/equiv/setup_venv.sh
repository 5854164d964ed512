#!/usr/bin/env bash
# Create (or reuse) the Python virtualenv used by the equivalence test.
#
# Usage: tests/equiv/setup_venv.sh ENV_NAME
#        (ENV_NAME: sa21, sa20, sa14, sa13, tools or format)
#
# The venv lives in ${CARGO_TARGET_DIR:-<repo>/target}/pyenv/ENV_NAME and is
# built from tests/equiv/requirements-ENV_NAME.txt with the interpreter named
# by $PYTHON (default: python3). A stamp file holding the sha256 of the
# requirements file makes later calls a no-op until the requirements change;
# a flock on a lock file next to the venv serialises concurrent callers.
#
# SQLAlchemy 1.3.24 (sa13) ships no wheel for this Python: pip builds it from
# the sdist, compiling the optional C extensions when a compiler is there and
# falling back to pure Python otherwise.
#
# The absolute path of the venv's python is printed as the last line of
# stdout; all other output goes to stderr.
set -euo pipefail

die() {
    echo "setup_venv.sh: error: $*" >&2
    exit 1
}

[ $# -eq 1 ] || die "usage: $0 ENV_NAME (sa21, sa20, sa14, sa13, tools or format)"
env_name=$1
case "$env_name" in
    sa21 | sa20 | sa14 | sa13) check="import sqlalchemy, flask_sqlalchemy" ;;
    tools) check="import maturin, pre_commit" ;;
    format) check="import ruff" ;;
    *) die "unknown ENV_NAME '$env_name' (expected sa21, sa20, sa14, sa13, tools or format)" ;;
esac

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo_root=$(cd "$script_dir/../.." && pwd -P)
requirements="$script_dir/requirements-$env_name.txt"
[ -f "$requirements" ] || die "requirements file not found: $requirements"

target_dir=${CARGO_TARGET_DIR:-$repo_root/target}
mkdir -p "$target_dir/pyenv" || die "cannot create $target_dir/pyenv"
pyenv_dir=$(cd "$target_dir/pyenv" && pwd -P)
venv="$pyenv_dir/$env_name"
stamp="$venv/.requirements.sha256"
venv_python="$venv/bin/python"

want_hash=$(sha256sum "$requirements" | cut -d' ' -f1)

is_current() {
    [ -x "$venv_python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_hash" ]
}

# Fast path: nothing to do, no lock and no pip needed.
if is_current; then
    echo "$venv_python"
    exit 0
fi

command -v flock > /dev/null || die "flock not found (install util-linux)"
exec 9> "$pyenv_dir/$env_name.lock"
flock 9 || die "cannot lock $pyenv_dir/$env_name.lock"

# Another caller may have finished the build while this one waited.
if is_current; then
    echo "$venv_python"
    exit 0
fi

python=${PYTHON:-python3}
command -v "$python" > /dev/null || die "interpreter '$python' not found (set PYTHON)"

echo "setup_venv.sh: building $venv from $(basename "$requirements")" >&2
# Start from scratch so packages dropped from the requirements do not linger.
rm -rf "$venv"
"$python" -m venv "$venv" >&2 || die "'$python -m venv $venv' failed"
"$venv_python" -m pip install --quiet --disable-pip-version-check \
    --requirement "$requirements" >&2 ||
    die "pip install -r $requirements failed (is PyPI reachable?)"
"$venv_python" -c "$check" >&2 ||
    die "the new venv fails: $check"

# The stamp is written last: an interrupted build is redone on the next call.
echo "$want_hash" > "$stamp.tmp"
mv "$stamp.tmp" "$stamp"
echo "setup_venv.sh: ready" >&2
echo "$venv_python"
