"""The macOS form of the browser policy: a configuration profile (.mobileconfig) for MDM."""

from __future__ import annotations

import plistlib
import uuid
from typing import Any

from moodline.deploy.browser_policy import ExtensionPolicy, validate

DOMAINS = {"chrome": "com.google.Chrome", "edge": "com.microsoft.Edge"}
_NAMESPACE = uuid.UUID("8d3c6a52-3f7e-4a53-9d0b-6f1e2d8c4b11")  # fixed: same input, same file


def _uuid(name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, name)).upper()


def _managed_preferences(domain: str, settings: dict[str, Any]) -> dict[str, Any]:
    """One managed-preferences payload (the MCX form MDM servers accept for any domain)."""
    return {
        "PayloadType": "com.apple.ManagedClient.preferences",
        "PayloadVersion": 1,
        "PayloadIdentifier": f"com.moodline.policy.{domain}",
        "PayloadUUID": _uuid(domain),
        "PayloadDisplayName": f"Moodline: {domain}",
        "PayloadContent": {domain: {"Forced": [{"mcx_preference_settings": settings}]}},
    }


def macos_mobileconfig(
    policy: ExtensionPolicy, browsers: tuple[str, ...] = ("chrome", "edge")
) -> bytes:
    """The profile (XML plist): force-install plus the extension's managed storage."""
    values = policy.managed_values()
    validate(values)
    payloads = []
    for browser in browsers:
        domain = DOMAINS[browser]
        payloads.append(
            _managed_preferences(domain, {"ExtensionSettings": policy.extension_settings()})
        )
        if values:
            payloads.append(
                _managed_preferences(f"{domain}.extensions.{policy.extension_id}", values)
            )
    profile = {
        "PayloadType": "Configuration",
        "PayloadVersion": 1,
        "PayloadIdentifier": "com.moodline.policy",
        "PayloadUUID": _uuid("profile"),
        "PayloadDisplayName": "Moodline browser extension",
        "PayloadDescription": "Installs the Moodline extension and sets its daemon port and sites.",
        "PayloadScope": "System",
        "PayloadContent": payloads,
    }
    return plistlib.dumps(profile, fmt=plistlib.FMT_XML, sort_keys=True)
