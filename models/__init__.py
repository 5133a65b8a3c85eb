"""Moodline's shipped classifier, and the code that trains, evaluates and documents it."""

from importlib import resources
from pathlib import Path


def shipped_head_dir() -> Path:
    """Folder of the shipped default head inside the installed package."""
    return Path(str(resources.files(__name__) / "shipped"))


def chat_seed_file() -> Path:
    """The project-written, hand-labelled short chat lines used in training and benchmarks."""
    return Path(str(resources.files(__name__) / "data" / "chat_seed.jsonl"))


def regression_dir() -> Path:
    """The contact-centre regression suites (hand-labelled messages and conversations), never
    trained on: `chat_messages.jsonl`, `hard_messages.jsonl`, `conversations.jsonl`."""
    return Path(str(resources.files(__name__) / "data" / "regression"))
