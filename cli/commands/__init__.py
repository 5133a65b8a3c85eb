"""The `moodline` subcommands, one module each."""
