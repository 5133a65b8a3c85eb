"""deploy/bootstrap.sh: clear errors and exit codes, and safe to run again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BOOTSTRAP = Path(__file__).resolve().parents[2] / "deploy" / "bootstrap.sh"


def bootstrap(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(BOOTSTRAP), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_unknown_option_is_a_usage_error() -> None:
    run = bootstrap("--frobnicate")
    assert run.returncode == 2 and "unknown option --frobnicate" in run.stderr


def test_missing_python_says_what_to_install(tmp_path: Path) -> None:
    run = bootstrap("--prefix", str(tmp_path), "--python", "/nonexistent/python3")
    assert run.returncode == 10
    assert "install Python 3.11 or newer" in run.stderr


def test_offline_machine_gets_a_clear_error_and_a_rerun_reuses_the_environment(
    tmp_path: Path,
) -> None:
    offline = {
        "PIP_CONFIG_FILE": os.devnull,  # no local mirrors: a machine with no way to packages
        "PIP_INDEX_URL": "http://127.0.0.1:9/simple",
        "PIP_RETRIES": "0",
        "PIP_TIMEOUT": "2",
        "PIP_FIND_LINKS": "",
    }
    first = bootstrap("--prefix", str(tmp_path), "--python", sys.executable, env=offline)
    assert first.returncode == 12, first.stdout + first.stderr
    assert "offline" in first.stderr and "--wheelhouse" in first.stderr
    assert "[1/5]" in first.stdout and "[3/5]" in first.stdout  # progress is shown
    venv_config = tmp_path / "venv" / "pyvenv.cfg"
    made = venv_config.stat().st_mtime_ns
    again = bootstrap("--prefix", str(tmp_path), "--python", sys.executable, env=offline)
    assert again.returncode == 12
    assert "reusing it" in again.stdout
    assert venv_config.stat().st_mtime_ns == made
