"""`moodline doctor`: checks the installation and says in plain words what to fix."""

from __future__ import annotations

import argparse
import json
from typing import Any

from moodline.commands.install import system_root
from moodline.commands.options import add_data_dir
from moodline.deploy import backend_for
from moodline.deploy.autostart import methods_for
from moodline.deploy.doctor import run_checks
from moodline.deploy.policy_files import present_policies
from moodline.deploy.policy_record import recorded_policies
from moodline.exit_codes import EXIT_FAILED, EXIT_OK


def _autostart_registered() -> bool:
    """True when any of this OS's start-at-login entries, per user or system-wide, is there."""
    return any(
        backend_for(system=system, method=method, root=system_root()).is_registered()
        for system in (False, True)
        for method in methods_for()
    )


def run(args: argparse.Namespace) -> int:
    locations = args.locations
    recorded = recorded_policies(locations.policy_record()) + recorded_policies(
        locations.policy_record(system=True)
    )
    checks = run_checks(
        locations,
        autostart_registered=_autostart_registered,
        policies_present=lambda: (
            present_policies(system_root()) + [p for p in recorded if p.is_file()]
        ),
        policy_expected=bool(recorded),
    )
    if args.json:
        print(json.dumps([check.as_dict() for check in checks], indent=2))
    else:
        for check in checks:
            print(check.line())
    failed = [check for check in checks if check.status == "fail"]
    if not args.json:
        print("All good." if not failed else f"{len(failed)} problem(s) to fix.")
    return EXIT_FAILED if failed else EXIT_OK


def add_parser(sub: Any) -> None:
    p = sub.add_parser("doctor", help="check the installation; non-zero exit on any problem")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    add_data_dir(p)
    p.set_defaults(run=run)
