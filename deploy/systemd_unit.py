"""systemd user units: render the Moodline service, and quote/parse its ExecStart line."""

from __future__ import annotations

from collections.abc import Sequence

UNIT_NAME = "moodline.service"
# C-style escapes systemd understands inside a quoted word, both ways.
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_UNESCAPES = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "t": "\t", "r": "\r", "s": " "}


def quote_arg(arg: str) -> str:
    """One ExecStart word: always double-quoted, `%` and `$` doubled so nothing expands."""
    if "\0" in arg:
        raise ValueError("an ExecStart argument cannot contain a NUL character")
    inner = "".join(_ESCAPES.get(char) or _hex_escape(char) for char in arg)
    return '"' + inner.replace("%", "%%").replace("$", "$$") + '"'


def _hex_escape(char: str) -> str:
    return f"\\x{ord(char):02x}" if ord(char) < 0x20 or char == "\x7f" else char


def exec_start(argv: Sequence[str]) -> str:
    """The ExecStart value that runs exactly `argv` (the program must be an absolute path)."""
    if not argv:
        raise ValueError("the command to start at login is empty")
    return " ".join(quote_arg(arg) for arg in argv)


def parse_exec_start(value: str) -> list[str]:
    """The argv an ExecStart value runs (the forms `exec_start` writes, plus plain words)."""
    text = value.lstrip("@-:+!")  # prefixes that change how the command runs, not what it is
    words: list[str] = []
    word: list[str] = []
    in_word = False
    quote: str | None = None
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            following = text[index + 1]
            if following == "x" and len(text[index + 2 : index + 4]) == 2:
                word.append(chr(int(text[index + 2 : index + 4], 16)))
                in_word = True
                index += 4
                continue
            if following not in _UNESCAPES:
                raise ValueError(f"unsupported escape \\{following} in ExecStart {value!r}")
            word.append(_UNESCAPES[following])
            in_word = True
            index += 2
            continue
        if char in "%$" and text[index + 1 : index + 2] == char:
            word.append(char)
            in_word = True
            index += 2
            continue
        if char in "%$":
            raise ValueError(f"ExecStart {value!r} uses a specifier or variable")
        if quote is not None:
            if char == quote:
                quote = None
            else:
                word.append(char)
        elif char in "\"'" and not in_word:
            quote, in_word = char, True
        elif char in " \t":
            if in_word:
                words.append("".join(word))
                word, in_word = [], False
        else:
            word.append(char)
            in_word = True
        index += 1
    if quote is not None:
        raise ValueError(f"unterminated quote in ExecStart {value!r}")
    if in_word:
        words.append("".join(word))
    return words


def render(argv: Sequence[str], *, description: str) -> str:
    """The text of a user unit that starts `argv` at login and restarts it if it fails."""
    if "\n" in description:
        raise ValueError("the unit description must be one line")
    return "\n".join(
        [
            "[Unit]",
            f"Description={description}",
            "",
            "[Service]",
            "Type=simple",
            f"ExecStart={exec_start(argv)}",
            "Restart=on-failure",
            "RestartSec=5",
            "",
            "[Install]",
            "WantedBy=default.target",
            "",
        ]
    )


def read_exec_start(text: str) -> str | None:
    """The raw ExecStart value of the `[Service]` section, or None."""
    section: str | None = None
    for raw in text.split("\n"):
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif section == "Service" and line.startswith("ExecStart="):
            return line.partition("=")[2].strip()
    return None
