"""Text preparation shared by training and scoring: emoji spelled out as words, tidy spaces."""

from __future__ import annotations

import re

import emoji

_WHITESPACE = re.compile(r"\s+")


def prepare_text(text: str) -> str:
    """Spell emoji out as words the encoder knows (😡 -> enraged face) and normalise whitespace.

    The negation rule the frozen encoder needed ("not terrible" -> "good") lowered every dev set
    once the encoder was fine-tuned, so it is gone (models/MODEL_CARD.md)."""
    spelled = emoji.demojize(text, delimiters=(" ", " ")).replace("_", " ")
    return _WHITESPACE.sub(" ", spelled).strip()
