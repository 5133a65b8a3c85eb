"""Options several commands share, so each says the same thing in `--help`."""

from __future__ import annotations

import argparse


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    """`--data-dir`: where the history and the team heads live (see `Locations`)."""
    parser.add_argument(
        "--data-dir",
        help="history and trained heads (default: $MOODLINE_DATA_DIR, else the user data dir)",
    )
