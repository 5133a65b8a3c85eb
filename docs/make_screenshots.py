"""Screenshots of the real widget window under Xvfb, driven by a real daemon, for the README.

Run: `.venv/bin/python docs/make_screenshots.py` (needs Debian's xvfb and Qt's xcb libraries:
`apt-get install xvfb libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0`).
Writes docs/images/widget-compact.png and docs/images/widget-expanded.png.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.support.daemon_process import DaemonProcess

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "images"
CONVERSATIONS = {
    "zendesk:4411": (
        "Ann: double charge",
        [
            "hi, I was charged twice for my order 5521",
            "it's been three days and nobody answered my email",
            "this is the third time I'm explaining this!!",
            "honestly I'm about to cancel my account",
        ],
    ),
    "zendesk:4412": (
        "Bo: new router",
        ["the router arrived, how do I set it up?", "great, that worked, thank you so much!"],
    ),
    "zendesk:4413": ("Cy: address change", ["I moved, can you update my address?"]),
}


def main() -> int:
    xvfb_path = shutil.which("Xvfb")
    if not xvfb_path:
        print("Xvfb is not installed (apt-get install xvfb)", file=sys.stderr)
        return 2
    display = ":97"
    xvfb = subprocess.Popen(  # noqa: S603 - fixed arguments
        [xvfb_path, display, "-screen", "0", "1024x768x24", "-nolisten", "tcp"]
    )
    os.environ["DISPLAY"] = display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    sys.path.insert(0, str(REPO))
    from tests.conftest import free_port
    from tests.support.daemon_process import TOKEN, DaemonProcess

    with tempfile.TemporaryDirectory() as tmp:
        daemon = DaemonProcess(Path(tmp), free_port())
        daemon.start()
        try:
            return _shoot(daemon, TOKEN)
        finally:
            daemon.stop()
            xvfb.terminate()


def _shoot(daemon: DaemonProcess, token: str) -> int:
    from PySide6.QtWidgets import QApplication

    from moodline.widget.app import build_widget
    from moodline.widget.link import ConnectionState, DaemonLink

    app = QApplication(sys.argv[:1])
    parts = build_widget(DaemonLink(daemon.port, lambda: token))
    model, link, expanded, window = parts.model, parts.link, parts.expanded, parts.window
    window.move(40, 40)
    window.show()
    link.start()

    def wait(condition: Callable[[], bool], seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while not condition() and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.02)

    wait(lambda: link.state == ConnectionState.READY)
    for conversation_id, (title, texts) in CONVERSATIONS.items():
        for number, text in enumerate(texts):
            daemon.request(
                "POST",
                "/v1/messages",
                {
                    "conversation_id": conversation_id,
                    "source": {"site": "zendesk", "title": title},
                    "messages": [{"id": str(number), "role": "customer", "text": text}],
                },
            )
    wait(lambda: len(model.conversations()) == len(CONVERSATIONS))
    wait(lambda: False, 1.5)
    OUT.mkdir(parents=True, exist_ok=True)
    window.adjustSize()
    wait(lambda: False, 0.5)
    window.grab().save(str(OUT / "widget-compact.png"))
    window.expand.setChecked(True)
    window.resize(520, 560)
    wait(lambda: len(expanded.why.rows) > 0)
    wait(lambda: False, 1.0)
    window.grab().save(str(OUT / "widget-expanded.png"))
    link.stop()
    print(f"wrote {OUT / 'widget-compact.png'} and {OUT / 'widget-expanded.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
