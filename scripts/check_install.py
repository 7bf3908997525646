"""Check that the virtual environment is exactly what the locks say.

Run by `make setup` after every install, and so by CI on a fresh clone: it fails when any locked
package is missing or at another version than its lock pins (a resolver that picked something up
from the index instead of the lock), when the installer is not the bootstrap-locked one, or when
`pip check` finds a broken requirement. Standard library only: it runs inside the venv it checks.
"""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCKS = (ROOT / "requirements-bootstrap.lock", ROOT / "requirements.lock")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def canonical(name: str) -> str:
    """PEP 503 normalisation, so `Django` and `django`, `zope.interface` and `zope-interface` match."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_pins(paths=LOCKS) -> dict[str, str]:
    pins: dict[str, str] = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            match = PIN.match(line.strip())
            if match:
                pins[canonical(match.group(1))] = match.group(2)
    return pins


def installed_versions() -> dict[str, str]:
    return {canonical(dist.metadata["Name"]): dist.version for dist in metadata.distributions()}


def mismatches(pins: dict[str, str], installed: dict[str, str]) -> list[str]:
    problems = []
    for name, version in sorted(pins.items()):
        have = installed.get(name)
        if have is None:
            problems.append(f"{name}: locked at {version}, not installed")
        elif have != version:
            problems.append(f"{name}: locked at {version}, installed {have}")
    return problems


def main() -> int:
    problems = mismatches(locked_pins(), installed_versions())
    check = subprocess.run(
        [sys.executable, "-m", "pip", "check", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        problems.append("pip check: " + (check.stdout + check.stderr).strip())
    if problems:
        print("The environment does not match the lock:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    print(f"environment matches the lock: {len(locked_pins())} pinned packages, pip check clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
