from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DisclosureConfig(AppConfig):
    name = "gongkai.disclosure"
    label = "disclosure"
    verbose_name = "主动公开"

    def ready(self) -> None:
        from gongkai.accounts.dashboards import register_panel_source
        from gongkai.disclosure import search
        from gongkai.disclosure.dashboard import fill_panels

        post_migrate.connect(search._post_migrate, sender=self, dispatch_uid="disclosure_sqlite_search_index")
        register_panel_source("disclosure", fill_panels)
