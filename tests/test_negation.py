"""Negated negative words are resolved before encoding; everything else passes through unchanged."""

from __future__ import annotations

import pytest

from moodline.daemon.scoring.negation import resolve_negated_negatives
from moodline.daemon.scoring.text_prep import prepare_text


@pytest.mark.parametrize(
    ("text", "resolved"),
    [
        ("it's not terrible, it works now", "it's good, it works now"),
        ("not too bad", "good"),
        ("no problem", "good"),
        ("it works without any problems", "it works good"),
        ("I'm NOT angry, just confused", "I'm good, just confused"),
        ("never had a problem since. Thanks", "good since. Thanks"),
        ("...not bad", "...good"),  # punctuation before the first clause is kept
    ],
)
def test_negated_negative_words_read_as_good(text: str, resolved: str) -> None:
    assert resolve_negated_negatives(text) == resolved


@pytest.mark.parametrize(
    "text",
    [
        "I'm not happy with this",  # a negated positive word stops the search, untouched
        "no, it's broken",  # the negator's clause ends at the comma
        "not that I know of, the box is terrible",  # "terrible" is beyond the clause
        "this is terrible",
        "it isn't the one I ordered and the colour is awful",  # "awful" is over 3 words away
        "",
        "?? hello",
        "!!!",
    ],
)
def test_other_texts_are_returned_unchanged(text: str) -> None:
    assert resolve_negated_negatives(text) is text


def test_prepare_text_resolves_before_spelling_out_emoji() -> None:
    assert prepare_text("not  bad 👍") == "good thumbs up"
