"""Windows command lines: build one for argv, parse one back, and make one safe in a .cmd file."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence

# Outside double quotes, cmd.exe treats these as operators unless escaped with a caret.
_CMD_SPECIAL = frozenset("^&|<>()")


def command_line(argv: Sequence[str]) -> str:
    """The command line that runs exactly `argv` (the MS C runtime's quoting rules)."""
    if not argv:
        raise ValueError("the command to start at login is empty")
    for arg in argv:
        if any(char in arg for char in "\0\r\n"):
            raise ValueError(f"a Windows command argument cannot contain a line break: {arg!r}")
    return subprocess.list2cmdline(list(argv))


def split_command_line(line: str) -> list[str]:
    """The argv a program sees for `line` (MS C runtime rules, as `command_line` writes them)."""
    words: list[str] = []
    word: list[str] = []
    in_word = quoted = False
    index = 0
    while index < len(line):
        char = line[index]
        if char == "\\":
            run = len(line[index:]) - len(line[index:].lstrip("\\"))
            index += run
            if line[index : index + 1] == '"':
                word.append("\\" * (run // 2))
                if run % 2:
                    word.append('"')
                    index += 1
            else:
                word.append("\\" * run)
            in_word = True
            continue
        if char == '"':
            if quoted and line[index + 1 : index + 2] == '"':
                word.append('"')
                index += 2
                continue
            quoted = not quoted
            in_word = True
        elif char in " \t" and not quoted:
            if in_word:
                words.append("".join(word))
                word, in_word = [], False
        else:
            word.append(char)
            in_word = True
        index += 1
    if in_word:
        words.append("".join(word))
    return words


def cmd_escape(line: str) -> str:
    """`line` as a line of a .cmd file: `%` doubled, cmd operators outside quotes caret-escaped."""
    out: list[str] = []
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        if char == "%":
            out.append("%%")
        elif char in _CMD_SPECIAL and not quoted:
            out.append(f"^{char}")
        else:
            out.append(char)
    return "".join(out)


def cmd_unescape(line: str) -> str:
    """Undo `cmd_escape`: the command line cmd.exe hands on."""
    out: list[str] = []
    quoted = False
    index = 0
    while index < len(line):
        char = line[index]
        if char == '"':
            quoted = not quoted
        if char == "%" and line[index + 1 : index + 2] == "%":
            out.append("%")
            index += 2
            continue
        if char == "^" and not quoted and index + 1 < len(line):
            out.append(line[index + 1])
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


_START = 'start "" /min '


def render_cmd_file(argv: Sequence[str]) -> str:
    """A Startup-folder .cmd that starts `argv` minimised and returns (CRLF line ends, UTF-8)."""
    for arg in argv:
        if any((ord(char) < 0x20 and char != "\t") or char == "\x7f" for char in arg):
            raise ValueError(f"a .cmd line cannot hold control characters: {arg!r}")
    lines = [
        "@echo off",
        "rem Starts Moodline at login. Written by moodline install; moodline uninstall removes it.",
        "chcp 65001 >nul",
        _START + cmd_escape(command_line(argv)),
        "",
    ]
    return "\r\n".join(lines)


def parse_cmd_file(text: str) -> list[str]:
    """The argv the `start` line of a .cmd written by `render_cmd_file` runs."""
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.startswith(_START):
            return split_command_line(cmd_unescape(line[len(_START) :]))
    raise ValueError("no `start` line in the .cmd file")
