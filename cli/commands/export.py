"""`moodline export`: write the stored history as CSV or JSON lines."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from moodline.commands.options import add_data_dir
from moodline.daemon.export import export_lines
from moodline.daemon.store.history import HistoryStore
from moodline.errors import CommandError, UsageError
from moodline.exit_codes import EXIT_OK


def parse_since(text: str) -> float:
    """An ISO date or datetime (naive means UTC) as epoch seconds."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def run(args: argparse.Namespace) -> int:
    try:
        since = parse_since(args.since) if args.since else None
    except ValueError as exc:
        raise UsageError(f"--since {args.since!r} is not an ISO date such as 2026-11-01") from exc
    database = args.locations.history_database
    if not database.is_file():
        raise CommandError(f"no history yet ({database} does not exist)")
    store = HistoryStore(database)
    count = 0
    try:
        out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout  # noqa: SIM115
        try:
            for line in export_lines(store, args.format, since):
                out.write(line)
                count += 1
        finally:
            if args.output:
                out.close()
    finally:
        store.close()
    rows = count - 1 if args.format == "csv" else count
    print(f"exported {rows} messages", file=sys.stderr)
    return EXIT_OK


def add_parser(sub: Any) -> None:
    p = sub.add_parser("export", help="export the stored history")
    p.add_argument("--format", choices=["csv", "jsonl"], default="jsonl")
    p.add_argument("--since", help="ISO date or datetime (UTC), e.g. 2026-11-01")
    p.add_argument("--output", "-o", help="file to write (default: stdout)")
    add_data_dir(p)
    p.set_defaults(run=run)
