"""Chrome and Edge policies that force-install the extension and preset its managed storage."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from moodline.daemon.settings import DEFAULT_EXTENSION_ID
from moodline.deploy.extension_files import extension_dir

MANAGED_SCHEMA = extension_dir() / "managed_schema.json"
# Where a self-hosted .crx is announced (IT replaces it with its own update manifest's URL).
DEFAULT_UPDATE_URL = "https://clients2.google.com/service/update2/crx"
BROWSERS = ("chrome", "edge")


class PolicyError(ValueError):
    """A policy value the extension's managed schema refuses; the message names the key."""


@dataclass(frozen=True)
class ExtensionPolicy:
    """What IT decides for every agent's browser."""

    extension_id: str = DEFAULT_EXTENSION_ID
    update_url: str = DEFAULT_UPDATE_URL
    daemon_port: int | None = None
    enabled_sites: tuple[str, ...] = ()
    generic_adapters: tuple[dict[str, Any], ...] = ()
    pairing_secret: str | None = None
    force_install: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def managed_values(self) -> dict[str, Any]:
        """The extension's managed storage, keyed as extension/managed_schema.json says."""
        values: dict[str, Any] = dict(self.extra)
        if self.daemon_port is not None:
            values["daemonPort"] = self.daemon_port
        if self.enabled_sites:
            values["enabledSites"] = list(self.enabled_sites)
        if self.generic_adapters:
            values["genericAdapters"] = [dict(a) for a in self.generic_adapters]
        if self.pairing_secret:
            values["pairingSecret"] = self.pairing_secret
        return values

    def extension_settings(self) -> dict[str, Any]:
        """Chrome/Edge `ExtensionSettings`: force-install from `update_url`, allow the sites."""
        entry: dict[str, Any] = {
            "installation_mode": "force_installed" if self.force_install else "normal_installed",
            "update_url": self.update_url,
        }
        if self.enabled_sites:
            entry["runtime_allowed_hosts"] = [_host_pattern(site) for site in self.enabled_sites]
        return {self.extension_id: entry}


def _host_pattern(origin: str) -> str:
    scheme, _, rest = origin.partition("://")
    return f"{scheme}://{rest.split('/')[0].split(':')[0]}"


def validate(values: dict[str, Any], schema_file: Path = MANAGED_SCHEMA) -> None:
    """Checks managed values against the manifest's managed schema; unknown keys are errors."""
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    unknown = sorted(set(values) - set(schema.get("properties", {})))
    if unknown:
        raise PolicyError(f"not in the extension's managed schema: {', '.join(unknown)}")
    validator = jsonschema.Draft4Validator(schema)
    errors = sorted(validator.iter_errors(values), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = ".".join(str(p) for p in first.absolute_path) or "(policy)"
        raise PolicyError(f"{where}: {first.message}")
    for index, adapter in enumerate(values.get("genericAdapters", [])):
        if not adapter.get("origin") or not adapter.get("message"):
            raise PolicyError(f"genericAdapters.{index}: needs at least origin and message")


def linux_policy(policy: ExtensionPolicy) -> dict[str, Any]:
    """The JSON policy file Chrome, Chromium and Edge read on Linux."""
    values = policy.managed_values()
    validate(values)
    document: dict[str, Any] = {"ExtensionSettings": policy.extension_settings()}
    if values:
        document["3rdparty"] = {"extensions": {policy.extension_id: values}}
    return document
