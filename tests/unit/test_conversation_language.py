"""A short or unsure line takes its conversation's language; sure checks never change."""

from __future__ import annotations

from moodline.daemon.scoring.conversation_language import (
    RECENT,
    ConversationLanguages,
    conversation_language,
    in_conversation,
)
from moodline.daemon.scoring.language import ENGLISH, UNSURE_ENGLISH, LanguageCheck, check_language


def test_the_conversations_language_is_its_most_frequent_scored_one() -> None:
    assert conversation_language([]) is None
    assert conversation_language(["en", "en", "de"]) is None
    assert conversation_language(["en", "de"]) == "de"  # a tie goes to the other language
    assert conversation_language(["de", "es", "es", "en"]) == "es"
    assert conversation_language(["sw", "sw", "en"]) is None  # not a language the path scores


def test_only_an_unsure_english_default_is_rerouted() -> None:
    assert in_conversation(UNSURE_ENGLISH, "de") == LanguageCheck("de", False, sure=False)
    assert in_conversation(UNSURE_ENGLISH, None) == UNSURE_ENGLISH
    assert in_conversation(ENGLISH, "de") == ENGLISH
    spanish = LanguageCheck("es", False)
    assert in_conversation(spanish, "de") == spanish


def test_the_check_says_when_english_is_only_a_default() -> None:
    assert check_language("Vielen Dank!").sure is False  # too short to tell
    assert check_language("Prima, danke, hat geklappt").sure is False  # identifier unsure
    for text in ("ok", "thanks!", "my order 1234", "👍", "where is my parcel, it is late"):
        assert check_language(text) == ENGLISH, text


def test_routes_follow_each_conversation_in_order() -> None:
    routes = ConversationLanguages()
    routes.seed("a", ["de", "de"])
    assert "a" in routes and "b" not in routes
    assert routes.route("a", UNSURE_ENGLISH).language == "de"
    assert routes.route("b", UNSURE_ENGLISH).language == "en"  # nothing known of b yet
    assert routes.route("b", LanguageCheck("fr", False)).language == "fr"
    assert routes.route("b", UNSURE_ENGLISH).language == "fr"
    for _ in range(RECENT):  # the customer moves to English for good
        routes.route("a", ENGLISH)
    assert routes.route("a", UNSURE_ENGLISH).language == "en"
