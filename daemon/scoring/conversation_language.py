"""A conversation's own language decides its short or unsure lines: "Vielen Dank!" after three
German messages is German (scored on the multilingual path), not English by default."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from moodline.daemon.scoring.language import LanguageCheck
from moodline.daemon.scoring.multilingual import MULTILINGUAL_LANGUAGES

RECENT = 6  # the customer's last messages that say which language the conversation is in


def conversation_language(recent: Iterable[str]) -> str | None:
    """The language the customer's recent messages are mostly in, when the multilingual path
    scores it. A tie with English goes to the other language: English is also what an unsure
    short line defaults to, so English counts run high."""
    counts = Counter(recent)
    english = counts.pop("en", 0)
    if not counts:
        return None
    language, count = counts.most_common(1)[0]
    if count < english or language not in MULTILINGUAL_LANGUAGES:
        return None
    return language


def in_conversation(check: LanguageCheck, language: str | None) -> LanguageCheck:
    """`check`, or the conversation's `language` when the check only defaulted to English."""
    if check.sure or language is None:
        return check
    return LanguageCheck(language, supported=False, sure=False)


class ConversationLanguages:
    """Routes each conversation's messages in order, remembering the last `RECENT` languages
    per conversation (seeded from storage by the caller)."""

    def __init__(self) -> None:
        self._recent: dict[str, list[str]] = {}

    def __contains__(self, conversation_id: object) -> bool:
        return conversation_id in self._recent

    def seed(self, conversation_id: str, languages: Iterable[str]) -> None:
        """The conversation's stored languages, oldest first (before this batch)."""
        self._recent[conversation_id] = list(languages)[-RECENT:]

    def route(self, conversation_id: str, check: LanguageCheck) -> LanguageCheck:
        """The language this message is scored in; it joins the conversation's recent ones."""
        recent = self._recent.setdefault(conversation_id, [])
        routed = in_conversation(check, conversation_language(recent))
        recent.append(routed.language)
        del recent[:-RECENT]
        return routed
