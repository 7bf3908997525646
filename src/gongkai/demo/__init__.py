"""The demo: the agency 示范区教育局, its people and a year of its work, loaded by ``manage.py seed_demo``
(``make run``), and the bulk generators the benchmarks use.

It sits above every app and only calls them (services, selectors, models). No app imports it: the
import-linter contract "Production code never imports the demo" in pyproject.toml says so.
"""
