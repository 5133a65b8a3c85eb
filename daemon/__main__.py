"""Allows `python -m daemon` as an alias of the `moodline` command."""

from daemon.cli import main

raise SystemExit(main())
