"""Desktop Entry files (XDG autostart): render one, and quote/parse its Exec line per the spec."""

from __future__ import annotations

from collections.abc import Sequence

# Characters that force an argument to be quoted (Desktop Entry spec, "The Exec key").
_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")
# Inside double quotes these four are escaped with a backslash.
_QUOTE_ESCAPED = frozenset('"`$\\')
# Field codes a launcher expands; with no files or URLs they expand to nothing.
_FIELD_CODES = frozenset("fFuUdDnNickvm")
# The general escapes of a `string` value, applied before the quoting rules.
_STRING_ESCAPES = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
GROUP = "Desktop Entry"


def quote_arg(arg: str) -> str:
    """One argument of an Exec value, quoted when it holds a reserved character."""
    if any((ord(char) < 0x20 and char not in "\t\n\r") or char == "\x7f" for char in arg):
        raise ValueError(f"an Exec argument cannot contain control characters: {arg!r}")
    literal = arg.replace("%", "%%")
    if arg and not any(char in _RESERVED for char in arg):
        return literal
    inner = "".join(f"\\{char}" if char in _QUOTE_ESCAPED else char for char in literal)
    return f'"{inner}"'


def escape_string(value: str) -> str:
    """Apply the general `string` escapes (backslash, newline, tab, CR) to a key's value."""
    escaped = value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
    escaped = escaped.replace("\r", "\\r")
    return "\\s" + escaped[1:] if escaped.startswith(" ") else escaped


def unescape_string(value: str) -> str:
    """Undo the general `string` escapes of a key's value."""
    out: list[str] = []
    index = 0
    while index < len(value):
        char = value[index]
        if char == "\\" and index + 1 < len(value) and value[index + 1] in _STRING_ESCAPES:
            out.append(_STRING_ESCAPES[value[index + 1]])
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def exec_value(argv: Sequence[str]) -> str:
    """The Exec value (already `string`-escaped) that runs exactly `argv`."""
    if not argv:
        raise ValueError("the command to start at login is empty")
    return escape_string(" ".join(quote_arg(arg) for arg in argv))


def parse_exec(value: str) -> list[str]:
    """The argv an Exec value runs (as read from the file), with no files or URLs to open."""
    text = unescape_string(value)
    words: list[str] = []
    word: list[str] = []
    in_word = quoted = False
    index = 0
    while index < len(text):
        char = text[index]
        if quoted:
            if char == "\\" and index + 1 < len(text) and text[index + 1] in _QUOTE_ESCAPED:
                word.append(text[index + 1])
                index += 1
            elif char == '"':
                quoted = False
            else:
                word.append(char)
        elif char in " \t\n":
            if in_word:
                words.append("".join(word))
                word, in_word = [], False
        elif char == '"':
            quoted = in_word = True
        else:
            word.append(char)
            in_word = True
        index += 1
    if quoted:
        raise ValueError(f"unterminated quote in Exec value {value!r}")
    if in_word:
        words.append("".join(word))
    return [arg for arg in (_expand_field_codes(word) for word in words) if arg is not None]


def _expand_field_codes(word: str) -> str | None:
    """`%%` is a literal percent; a lone field code (`%U`) expands to no argument at all."""
    if len(word) == 2 and word[0] == "%" and word[1] in _FIELD_CODES:
        return None
    out: list[str] = []
    index = 0
    while index < len(word):
        if word[index] == "%":
            following = word[index + 1 : index + 2]
            if following == "%":
                out.append("%")
                index += 2
                continue
            if following in _FIELD_CODES and following:
                index += 2
                continue
            raise ValueError(f"invalid field code in Exec argument {word!r}")
        out.append(word[index])
        index += 1
    return "".join(out)


def render(argv: Sequence[str], *, name: str, comment: str, icon: str | None = None) -> str:
    """The text of an autostart `.desktop` file that runs `argv` at login."""
    lines = [
        f"[{GROUP}]",
        "Type=Application",
        "Version=1.5",
        f"Name={escape_string(name)}",
        f"Comment={escape_string(comment)}",
        f"Exec={exec_value(argv)}",
    ]
    if argv[0].startswith("/"):
        lines.append(f"TryExec={escape_string(argv[0])}")
    if icon:
        lines.append(f"Icon={escape_string(icon)}")
    lines += ["Terminal=false", "X-GNOME-Autostart-enabled=true", ""]
    return "\n".join(lines)


# The spec's whitespace around "=" and at line ends: spaces and tabs only. str.strip() would also
# drop a no-break space that ends the Exec line as a real argument (found by hypothesis).
_SPACE = " \t\r\n"


def read_keys(text: str) -> dict[str, str]:
    """The raw (still escaped) key=value pairs of the `[Desktop Entry]` group."""
    keys: dict[str, str] = {}
    group: str | None = None
    for raw in text.split("\n"):
        line = raw.strip(_SPACE)
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            group = line[1:-1]
        elif group == GROUP and "=" in line:
            key, _, value = line.partition("=")
            keys.setdefault(key.strip(_SPACE), value.strip(_SPACE))
    return keys


def is_enabled(keys: dict[str, str]) -> bool:
    """An autostart entry a session would start: not Hidden, not disabled by GNOME's switch."""
    return (
        keys.get("Hidden", "false") != "true"
        and keys.get("X-GNOME-Autostart-enabled", "true") != "false"
    )
