"""The installed Qt binding keeps Python's reference counts: a busy window (the widget, the board)
must not drop None or True a little on every call until the process aborts (PySide6 6.12.0 on
CPython 3.11 did: "Fatal Python error: none_dealloc")."""

from __future__ import annotations

import subprocess
import sys

CALLS = 20_000

PROGRAM = f"""
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget

class Source(QObject):
    changed = Signal(int)

app = QApplication([])
widget, source = QWidget(), Source()
none, true = sys.getrefcount(None), sys.getrefcount(True)
for _ in range({CALLS}):
    widget.update()
    source.changed.emit(1)
    app.processEvents()
print(none - sys.getrefcount(None), true - sys.getrefcount(True))
"""


def test_void_calls_and_emits_keep_none_and_true_alive() -> None:
    # In a child process: on a binding with the bug the interpreter may abort outright.
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lost_none, lost_true = (int(n) for n in done.stdout.split())
    assert lost_none < 100 and lost_true < 100, (lost_none, lost_true)
