#!/bin/sh
# Moodline bootstrap for Linux and macOS desktops that do not have Moodline yet: makes its own
# virtual environment, installs the package (with its prebuilt model), checks it, then runs
# `moodline install --silent` with the arguments after `--`. Safe to re-run: it reuses the
# environment and upgrades in place.
#
#   sh bootstrap.sh [--prefix DIR] [--source WHEEL|DIR|NAME] [--wheelhouse DIR] [--python PY] \
#                   [-- moodline install options, e.g. --provision-secret-file /etc/moodline.secret]
#
# Exit codes: 0 done; 2 bad usage; 10 no Python 3.11+; 11 cannot make the environment;
# 12 cannot install the package (offline? use --wheelhouse); 13 the shipped model is damaged;
# 14 `moodline install` failed (its own message says why).
set -eu

PREFIX="${MOODLINE_PREFIX:-${XDG_DATA_HOME:-$HOME/.local/share}/moodline}"
SOURCE="${MOODLINE_SOURCE:-moodline}"
PYTHON="${MOODLINE_PYTHON:-python3}"
WHEELHOUSE=""
STEPS=5

say() { printf '%s\n' "$*"; }
step() { printf '[%s/%s] %s\n' "$1" "$STEPS" "$2"; }
fail() { code="$1"; shift; printf 'moodline bootstrap: %s\n' "$*" >&2; exit "$code"; }

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || fail 2 "--prefix needs a folder"; PREFIX="$2"; shift 2 ;;
        --source) [ $# -ge 2 ] || fail 2 "--source needs a wheel, folder or name"; SOURCE="$2"; shift 2 ;;
        --wheelhouse) [ $# -ge 2 ] || fail 2 "--wheelhouse needs a folder"; WHEELHOUSE="$2"; shift 2 ;;
        --python) [ $# -ge 2 ] || fail 2 "--python needs an interpreter"; PYTHON="$2"; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        --) shift; break ;;
        *) fail 2 "unknown option $1 (see --help)" ;;
    esac
done

VENV="$PREFIX/venv"

step 1 "checking Python"
command -v "$PYTHON" >/dev/null 2>&1 || fail 10 "$PYTHON not found: install Python 3.11 or newer"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
    || fail 10 "$("$PYTHON" -V 2>&1) is too old: Moodline needs Python 3.11 or newer"

step 2 "virtual environment in $VENV"
if [ -x "$VENV/bin/python" ]; then
    say "      reusing it"
else
    mkdir -p "$PREFIX" || fail 11 "cannot create $PREFIX"
    "$PYTHON" -m venv "$VENV" || fail 11 "cannot create a virtual environment (Debian/Ubuntu: apt install python3-venv)"
fi

step 3 "installing $SOURCE (about 500 MB on disk; no torch)"
pip_install() {
    if [ -n "$WHEELHOUSE" ]; then
        "$VENV/bin/python" -m pip install --disable-pip-version-check --upgrade \
            --no-index --find-links "$WHEELHOUSE" "$SOURCE"
    else
        "$VENV/bin/python" -m pip install --disable-pip-version-check --upgrade \
            "$SOURCE"
    fi
}
if ! pip_install; then
    if [ -z "$WHEELHOUSE" ]; then
        fail 12 "could not install Moodline: is this machine offline? Copy a wheelhouse (pip download) and pass --wheelhouse DIR"
    fi
    fail 12 "could not install Moodline from $WHEELHOUSE: is every wheel there?"
fi

step 4 "checking the shipped model's files"
"$VENV/bin/moodline" model status >/dev/null || fail 13 "the shipped model is damaged (see above): reinstall"

step 5 "registering Moodline to start at login"
"$VENV/bin/moodline" install --silent "$@" || fail 14 "moodline install failed (see above)"
say "Moodline is installed. Log out and in again, or run: $VENV/bin/moodline up"
