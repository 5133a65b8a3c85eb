"""Allows `python -m moodline` as an alias of the `moodline` command."""

from moodline.cli import main

raise SystemExit(main())
