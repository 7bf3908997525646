"""The install check that `make setup` runs: it must see every pin and catch a drifted version."""

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _checker():
    spec = importlib.util.spec_from_file_location("check_install", ROOT / "scripts" / "check_install.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_locked_package_is_read():
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    entries = re.findall(r"^[a-z0-9][^\s=]*==", lock, flags=re.MULTILINE)
    pins = _checker().locked_pins()
    assert len(entries) > 50
    assert len(pins) == len(entries) + 1  # the lock's packages and the bootstrap pip
    assert pins["pip"] == "26.3"


def test_a_drifted_or_missing_package_is_reported():
    checker = _checker()
    pins = {"fonttools": "4.68.0", "django": "5.2.19", "gunicorn": "27.0.1"}
    installed = {"fonttools": "4.69.1", "django": "5.2.19"}
    assert checker.mismatches(pins, installed) == [
        "fonttools: locked at 4.68.0, installed 4.69.1",
        "gunicorn: locked at 27.0.1, not installed",
    ]


def test_this_environment_matches_the_lock():
    checker = _checker()
    assert checker.mismatches(checker.locked_pins(), checker.installed_versions()) == []


def test_names_are_compared_in_normal_form():
    checker = _checker()
    assert checker.canonical("Django") == checker.canonical("django")
    assert checker.canonical("lunar_python") == checker.canonical("Lunar.Python") == "lunar-python"
