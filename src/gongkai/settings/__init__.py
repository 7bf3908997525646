"""Settings modules: ``demo`` (make run), ``test`` (make test), ``production`` (real offices).

All read environment variables through :mod:`gongkai.settings.base`; see docs/DEPLOYMENT.md.
"""
