"""`moodline extension pack`: a reproducible zip of the browser extension (and a signed .crx)."""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from moodline.deploy.extension_files import extension_dir
from moodline.errors import CommandError
from moodline.exit_codes import EXIT_OK

EXTENSION_DIR = extension_dir()
LEFT_OUT = ("tests/", "public-key.b64")  # a checkout's extra files (the package has neither)
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip's earliest date: the same bytes on every machine


def extension_files(root: Path = EXTENSION_DIR) -> list[Path]:
    """The files that ship, sorted (tests and the key file stay behind)."""
    files = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and not relative.startswith(LEFT_OUT):
            files.append(path)
    return files


def write_zip(target: Path, root: Path = EXTENSION_DIR) -> str:
    """Writes the zip with fixed dates and permissions; returns its sha256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in extension_files(root):
            info = zipfile.ZipInfo(path.relative_to(root).as_posix(), date_time=FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    return hashlib.sha256(target.read_bytes()).hexdigest()


def extension_id_of(public_key_der: bytes) -> str:
    """Chrome's id for a key: the first 32 hex digits of sha256(DER), 0-f written as a-p."""
    digest = hashlib.sha256(public_key_der).hexdigest()[:32]
    return digest.translate(str.maketrans("0123456789abcdef", "abcdefghijklmnop"))


def public_key_der(private_key: Path) -> bytes:
    openssl = shutil.which("openssl")
    if openssl is None:
        raise ValueError("openssl is needed to read the key and is not installed")
    run = subprocess.run(  # noqa: S603 - fixed program, the path is an argument
        [openssl, "pkey", "-in", str(private_key), "-pubout", "-outform", "DER"],
        capture_output=True,
        check=False,
    )
    if run.returncode != 0:
        raise ValueError(f"{private_key} is not a PEM private key: {run.stderr.decode()[:200]}")
    return run.stdout


def write_crx(target: Path, private_key: Path, chromium: str) -> str:
    """Signs the extension with IT's key through Chromium; returns the resulting extension id."""
    der = public_key_der(private_key)
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp) / "moodline"
        for path in extension_files():
            destination = stage / path.relative_to(EXTENSION_DIR)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
        manifest = json.loads((stage / "manifest.json").read_text())
        manifest["key"] = base64.b64encode(der).decode()  # the id follows IT's key
        (stage / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        run = subprocess.run(  # noqa: S603 - the installed Chromium, fixed flags
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                f"--user-data-dir={Path(tmp) / 'profile'}",
                f"--pack-extension={stage}",
                f"--pack-extension-key={private_key}",
            ],
            capture_output=True,
            timeout=120,
            check=False,
        )
        packed = Path(tmp) / "moodline.crx"
        if not packed.exists():
            raise RuntimeError(f"Chromium did not pack the extension: {run.stderr.decode()[-500:]}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(packed, target)
    return extension_id_of(der)


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    version = json.loads((EXTENSION_DIR / "manifest.json").read_text())["version"]
    zip_path = out / f"moodline-extension-{version}.zip"
    digest = write_zip(zip_path)
    print(f"wrote {zip_path} (sha256 {digest})")
    if not args.key:
        print(
            "no .crx: pass --key IT.pem to sign one (without a key Chromium would invent a new "
            "one, and a new extension id, on every run)"
        )
        return EXIT_OK
    chromium = shutil.which("chromium") or shutil.which("google-chrome")
    if chromium is None:
        raise CommandError("cannot write the .crx: Chromium is not installed")
    try:
        crx = out / f"moodline-extension-{version}.crx"
        extension_id = write_crx(crx, Path(args.key), chromium)
    except (ValueError, RuntimeError, OSError) as exc:
        raise CommandError(str(exc)) from exc
    print(f"wrote {crx}; extension id {extension_id}")
    print(f'add it to the daemon\'s settings: allowed_extension_ids = ["{extension_id}"]')
    return EXIT_OK


def add_parser(sub: Any) -> None:
    p = sub.add_parser("extension", help="package the browser extension for IT")
    actions = p.add_subparsers(dest="extension_command", required=True)
    pack = actions.add_parser("pack", help="write a reproducible zip (and a .crx with --key)")
    pack.add_argument("--out", default="dist", help="folder to write to (default: dist)")
    pack.add_argument("--key", help="IT's PEM private key to sign a .crx with")
    p.set_defaults(run=run)
