"""Shared test configuration: where ../shared is, and the browser for tests/e2e."""

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED = PROJECT_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"../shared is missing (looked in {SHARED}); the spec and gold cases live there")
    return SHARED
