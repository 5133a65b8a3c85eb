"""`moodline extension pack`: the same zip bytes every time, and a .crx signed with IT's key."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from moodline.cli import main
from moodline.commands.extension_pack import extension_id_of, public_key_der, write_zip


def test_zip_is_reproducible_and_leaves_tests_out(tmp_path: Path) -> None:
    first = write_zip(tmp_path / "a.zip")
    second = write_zip(tmp_path / "b.zip")
    assert first == second
    names = zipfile.ZipFile(tmp_path / "a.zip").namelist()
    assert "manifest.json" in names
    assert "src/background/service-worker.js" in names
    assert not [name for name in names if name.startswith("tests/")]


def test_pack_signs_a_crx_whose_id_follows_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "it.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(key), "2048"], check=True, capture_output=True)
    assert main(["extension", "pack", "--out", str(tmp_path / "dist"), "--key", str(key)]) == 0
    crx = next((tmp_path / "dist").glob("*.crx"))
    assert crx.read_bytes()[:4] == b"Cr24"
    printed = capsys.readouterr().out
    assert re.search(rf"extension id {extension_id_of(public_key_der(key))}\b", printed)


def test_pack_refuses_a_key_that_is_not_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    assert main(["extension", "pack", "--out", str(tmp_path), "--key", str(bad)]) == 1
