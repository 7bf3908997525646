"""The domain core: the rules of 政府信息公开 in plain Python.

Nothing here imports Django (an import-linter contract in pyproject.toml enforces it), so the
rules are testable alone and shared by the web app, the API and the command line. ``today`` and
the working-day calendar are always arguments, never read from the clock or a database here.
"""
