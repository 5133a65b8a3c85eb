"""The agent's install: the built wheel in a fresh virtual environment, used from another folder.

No torch, no sentence-transformers, no scikit-learn; the model ships prebuilt inside the wheel, so
`moodline score` works at once. The environment's size is printed (README: "installed size").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


@pytest.fixture(scope="module")
def agent_venv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("agent")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(root / "dist"), "."],
        cwd=REPO,
        check=True,
        timeout=600,
    )
    (wheel,) = (root / "dist").glob("moodline-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = [str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, str(wheel)], check=True, timeout=900)
    print(f"\nagent venv: {_size_mb(venv):.0f} MB installed ({wheel.name})")
    # Only for the install round trip below: a file keyring, as no desktop keyring runs here.
    subprocess.run([*pip, "keyrings.alt"], check=True, timeout=300)
    yield venv


def _run(venv: Path, *args: str, stdin: str = "", home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": f"{venv / 'bin'}:{os.environ['PATH']}",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
    }
    return subprocess.run(
        list(args), input=stdin, capture_output=True, text=True, env=env, cwd=home, timeout=300
    )


def test_agent_install_has_no_training_stack(agent_venv: Path, tmp_path: Path) -> None:
    python = str(agent_venv / "bin" / "python")
    for module in ("torch", "sentence_transformers", "sklearn", "scipy", "daemon", "models"):
        result = _run(agent_venv, python, "-c", f"import {module}", home=tmp_path)
        assert result.returncode != 0, f"{module} is importable in the agent's install"
    assert _size_mb(agent_venv) < 650


def test_the_wheel_ships_the_extension_as_in_the_repo(agent_venv: Path) -> None:
    from tests.unit.test_packaging import shipped_extension_files

    (installed,) = agent_venv.glob("lib/python*/site-packages/moodline/extension")
    assert shipped_extension_files(installed) == shipped_extension_files(REPO / "extension")


def test_it_deployment_commands_work_from_the_wheel(agent_venv: Path, tmp_path: Path) -> None:
    moodline = str(agent_venv / "bin" / "moodline")
    home = tmp_path / "home"
    home.mkdir()
    packed = _run(
        agent_venv, moodline, "extension", "pack", "--out", str(tmp_path / "dist"), home=home
    )
    assert packed.returncode == 0, packed.stderr
    assert list((tmp_path / "dist").glob("*.zip"))
    policies = tmp_path / "policies"
    installed = _run(
        agent_venv,
        moodline,
        "install",
        "--silent",
        "--policy-dir",
        str(policies),
        "--site",
        "https://console.example.com",
        home=home,
    )
    assert installed.returncode == 0, installed.stderr
    policy = json.loads((policies / "linux" / "moodline.json").read_text())
    assert "ExtensionSettings" in policy and "3rdparty" in policy
    assert (home / ".config" / "autostart" / "moodline.desktop").is_file()
    doctor = _run(agent_venv, moodline, "doctor", "--json", home=home)
    checks = {c["name"]: c["status"] for c in json.loads(doctor.stdout)}
    assert checks["model"] == "ok" and checks["settings"] == "ok" and checks["autostart"] == "ok"
    removed = _run(agent_venv, moodline, "uninstall", "--silent", home=home)
    assert removed.returncode == 0, removed.stderr
    assert not (home / ".config" / "autostart" / "moodline.desktop").exists()


def test_installed_commands_work_from_another_folder(agent_venv: Path, tmp_path: Path) -> None:
    moodline = str(agent_venv / "bin" / "moodline")
    version = _run(agent_venv, moodline, "--version", home=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("moodline ")
    scored = _run(
        agent_venv,
        moodline,
        "score",
        stdin="thanks, that fixed it!\nstill no reply after an hour...\n"
        "muchas gracias, todo funciona perfectamente\n"
        "nimesubiri wiki tatu na hakuna mtu amenijibu kuhusu oda yangu\n",
        home=tmp_path,
    )
    assert scored.returncode == 0, scored.stderr
    lines = [json.loads(line) for line in scored.stdout.splitlines()]
    assert [line.get("label") for line in lines[:3]] == ["positive", "negative", "positive"]
    # The multilingual path works from the wheel (its encoder is a dependency, hash-checked).
    assert (lines[2]["language"], lines[2]["path"]) == ("es", "multilingual")
    assert lines[3]["not_scored"]["reason"] == "language"  # Swahili: neither path
    status = _run(agent_venv, moodline, "model", "status", home=tmp_path)
    assert status.returncode == 0 and "onnx_agreement" in status.stdout
