"""The extension's own unit tests (node's test runner) and checks of its manifest and files."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

from moodline.daemon.settings import DEFAULT_EXTENSION_ID

EXTENSION = Path(__file__).resolve().parents[2] / "extension"


def manifest() -> dict[str, object]:
    result: dict[str, object] = json.loads((EXTENSION / "manifest.json").read_text())
    return result


def test_node_unit_tests_pass() -> None:
    node = shutil.which("node")
    assert node, "node is missing: run `bash .ci/system-deps`"
    run = subprocess.run(
        [node, "--test", str(EXTENSION / "tests" / "unit")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert re.search(r"^# pass [1-9]", run.stdout, re.MULTILINE)
    assert re.search(r"^# fail 0$", run.stdout, re.MULTILINE)


def test_manifest_key_fixes_the_id_the_daemon_allows() -> None:
    key = str(manifest()["key"])
    assert key == (EXTENSION / "public-key.b64").read_text().strip()
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    extension_id = digest.translate(str.maketrans("0123456789abcdef", "abcdefghijklmnop"))
    assert extension_id == DEFAULT_EXTENSION_ID


def test_manifest_asks_only_for_what_it_uses() -> None:
    data = manifest()
    assert data["manifest_version"] == 3
    assert data["minimum_chrome_version"] == "116"
    assert data["host_permissions"] == ["http://127.0.0.1/*"]  # the daemon, nothing else
    assert sorted(data["permissions"]) == ["activeTab", "alarms", "scripting", "storage"]  # type: ignore[call-overload]
    assert "content_scripts" not in data  # sites are read only once enabled at run time


def test_every_file_the_manifest_and_worker_name_exists() -> None:
    data = manifest()
    named = [
        data["background"]["service_worker"],  # type: ignore[index]
        data["action"]["default_popup"],  # type: ignore[index]
        data["options_ui"]["page"],  # type: ignore[index]
        data["storage"]["managed_schema"],  # type: ignore[index]
        *data["icons"].values(),  # type: ignore[attr-defined]
    ]
    sites = (EXTENSION / "src/background/sites.js").read_text()
    named += re.findall(r'"(src/[^"]+\.js)"', sites)
    for name in named:
        assert (EXTENSION / name).is_file(), name


def test_managed_schema_is_a_json_schema_object() -> None:
    schema = json.loads((EXTENSION / "managed_schema.json").read_text())
    assert schema["type"] == "object"
    assert {"daemonPort", "enabledSites", "genericAdapters"} <= set(schema["properties"])
