"""macOS: a LaunchAgent property list, per user or in `<root>/Library/LaunchAgents`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from moodline.deploy import launch_agent
from moodline.deploy.specs import DirSpec, FileSpec, Spec


class LaunchAgent:
    """`com.moodline.agent.plist`: runs at load (login), restarted when it fails."""

    name = "launch-agent"

    def __init__(self, home: Path, *, system: bool = False, root: Path = Path("/")) -> None:
        self.system = system
        base = root if system else home
        self.path = base / "Library/LaunchAgents" / f"{launch_agent.LABEL}.plist"
        # launchd does not expand `~`, so an agent for all users cannot name a per-user log file.
        self.log_dir = None if system else home / "Library/Logs/Moodline"

    def specs(self, argv: Sequence[str]) -> list[Spec]:
        plist = FileSpec(self.path, launch_agent.render(argv, log_dir=self.log_dir))
        return [plist] if self.log_dir is None else [DirSpec(self.log_dir), plist]

    def registered_command(self) -> list[str] | None:
        try:
            job = launch_agent.load(self.path.read_bytes())
            if job.get("Disabled") is True:
                return None
            return launch_agent.program_arguments(job)
        except (OSError, ValueError):
            return None

    def is_registered(self) -> bool:
        return bool(self.registered_command())
