"""The redaction policy the service applies to a message's text before it is stored."""

from __future__ import annotations

from dataclasses import dataclass, field

from moodline.daemon.privacy.redaction import default_phone_region, redact
from moodline.daemon.settings import Settings


@dataclass(frozen=True)
class RedactionPolicy:
    """Whether personal data is replaced by placeholders before storage, and the region that
    phone numbers written without +country code are read as."""

    enabled: bool = True
    phone_region: str = field(default_factory=default_phone_region)

    @classmethod
    def from_settings(cls, settings: Settings) -> RedactionPolicy:
        """`redact_personal_data` and `phone_region` (None: the machine's locale's region)."""
        return cls(settings.redact_personal_data, settings.phone_region or default_phone_region())

    def stored_text(self, text: str) -> str:
        """The text to store: redacted when the policy is on, else as it came."""
        return redact(text, self.phone_region).text if self.enabled else text

    def same_text(self, stored: str, text: str) -> bool:
        """Whether `stored` is `text` as some Moodline stored it: as it came, or redacted
        (whether redaction was on when it was stored or not)."""
        return stored == text or stored == redact(text, self.phone_region).text
