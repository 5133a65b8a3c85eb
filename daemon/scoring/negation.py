"""Negated negative words resolved before encoding: "it's not terrible" reads as "it's good".

The frozen encoder barely registers negation: "it's not terrible, it works now" lies beside "it's
terrible, it still doesn't work" (cosine 0.86), so the head read it as very negative. Within a
clause (up to , . ; : ! ?), a negator followed within three words by a word that VADER's lexicon
calls negative is replaced, with the words between, by "good"; a positive word stops the search
and is left alone ("not happy" stays as it is). Training and scoring both use it (through
`prepare_text`). Measured against the same head without it: chat regression accuracy 0.909 ->
0.914, its negation phenomenon 0.643 -> 0.714, public dev sets within 0.005 macro-F1.
"""

from __future__ import annotations

import re

from moodline.daemon.scoring.lexicon import analyzer, negators

REPLACEMENT = "good"
SCOPE_WORDS = 3
_CLAUSE = re.compile(r"([^,.;:!?]*)([,.;:!?]*)")
_EDGE_PUNCTUATION = "\"'()[]*_~"


def _resolve_clause(words: list[str], lexicon: dict[str, float], negating: frozenset[str]) -> str:
    plain = [w.lower().strip(_EDGE_PUNCTUATION) for w in words]
    kept: list[str] = []
    index = 0
    while index < len(words):
        if plain[index] in negating:
            for ahead in range(index + 1, min(len(words), index + 1 + SCOPE_WORDS)):
                valence = lexicon.get(plain[ahead])
                if valence is None:
                    continue
                kept.extend([REPLACEMENT] if valence < 0 else words[index : ahead + 1])
                index = ahead + 1
                break
            else:
                kept.append(words[index])
                index += 1
            continue
        kept.append(words[index])
        index += 1
    return " ".join(kept)


def resolve_negated_negatives(text: str) -> str:
    """`text` with each negated negative word (and its negator) replaced by "good"; unchanged
    (the same string) when there is none."""
    lexicon = analyzer().lexicon
    negating = negators()
    parts = []
    for clause, punctuation in _CLAUSE.findall(text):
        lead = " " if clause[:1].isspace() else ""
        parts.append(lead + _resolve_clause(clause.split(), lexicon, negating) + punctuation)
    resolved = "".join(parts)
    return resolved if resolved.split() != text.split() else text
