"""Settings for ``make run``: the demo on http://127.0.0.1:8000 with an SQLite file in var/."""

from gongkai.settings.base import *  # noqa: F401,F403
from gongkai.settings.base import VAR_DIR

VAR_DIR.mkdir(parents=True, exist_ok=True)
