"""Test certificates made at test time with the `openssl` command (installed by .ci/system-deps):
a CA, a broker certificate for 127.0.0.1, client certificates whose CN is a user name."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

LEAF_EXTENSIONS = (
    "basicConstraints=critical,CA:FALSE\n"
    "keyUsage=critical,digitalSignature,keyEncipherment\n"
    "subjectKeyIdentifier=hash\n"
    "authorityKeyIdentifier=keyid,issuer\n"
)


@dataclass(frozen=True)
class KeyPair:
    certificate: Path
    key: Path


def _openssl(*args: str) -> None:
    binary = shutil.which("openssl")
    if binary is None:
        pytest.skip("openssl is not installed (run .ci/system-deps)")
    subprocess.run([binary, *args], check=True, capture_output=True, timeout=60)


def make_ca(folder: Path, name: str) -> KeyPair:
    """A self-signed CA (EC P-256, valid for a day)."""
    folder.mkdir(parents=True, exist_ok=True)
    pair = KeyPair(folder / f"{name}.crt", folder / f"{name}.key")
    _openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", str(pair.key), "-out", str(pair.certificate), "-days", "1",
        "-subj", f"/CN={name}", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    return pair


def issue(ca: KeyPair, folder: Path, common_name: str, *, server: bool) -> KeyPair:
    """A certificate signed by `ca`: for the broker at 127.0.0.1 (`server`) or a client whose
    CN is `common_name` (the user name Mosquitto sees with use_identity_as_username)."""
    pair = KeyPair(folder / f"{common_name}.crt", folder / f"{common_name}.key")
    request = folder / f"{common_name}.csr"
    extensions = folder / f"{common_name}.ext"
    usage = "serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n" if server else "clientAuth\n"
    extensions.write_text(LEAF_EXTENSIONS + "extendedKeyUsage=" + usage)
    _openssl(
        "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", str(pair.key), "-out", str(request), "-subj", f"/CN={common_name}",
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", str(request), "-CA", str(ca.certificate), "-CAkey", str(ca.key),
        "-CAcreateserial", "-out", str(pair.certificate), "-days", "1",
        "-extfile", str(extensions),
    )  # fmt: skip
    return pair
