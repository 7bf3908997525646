"""Project-level checks: migrations in step with the models, production settings clean."""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_the_migrations_are_in_step_with_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_production_settings_pass_the_deployment_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gongkai.settings.production",
        "GONGKAI_SECRET_KEY": "x" * 30 + "-production-test-key-" + "y" * 30,
        "GONGKAI_ALLOWED_HOSTS": "gongkai.example.gov.cn",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_production_settings_refuse_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongkai.settings.production", "GONGKAI_ALLOWED_HOSTS": "x.gov.cn"}
    env.pop("GONGKAI_SECRET_KEY", None)
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "GONGKAI_SECRET_KEY" in result.stderr


def test_the_command_line_counts_a_deadline_and_gives_a_provisional_one_for_2027():
    ok = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "deadline", "2025-01-30", "20"], capture_output=True, text=True
    )
    assert ok.returncode == 0 and "2025-03-03" in ok.stdout and "预计" not in ok.stdout
    firm = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "deadline", "2025-01-30", "20", "--json"], capture_output=True, text=True
    )
    assert json.loads(firm.stdout) == {
        "due": "2025-03-03",
        "provisional": False,
        "basis": "按已录入的国务院办公厅节假日安排计算",
    }
    # No 2027 notice is shipped: a count into 2027 gives the provisional (lower-bound) date.
    run = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "deadline", "2026-12-10", "20", "--json"], capture_output=True, text=True
    )
    out = json.loads(run.stdout)
    assert run.returncode == 0 and out["provisional"] is True
    assert out["basis"] == "2027年节假日安排尚未录入，按法定节假日推算，实际期限不早于此日"
    assert date(2026, 12, 31) < date.fromisoformat(out["due"]) <= date(2027, 1, 8)
    human = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "deadline", "2026-12-10", "20"], capture_output=True, text=True
    )
    assert human.returncode == 0 and f"{out['due']}（预计：2027年节假日安排尚未录入" in human.stdout
