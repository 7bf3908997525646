from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DisclosureConfig(AppConfig):
    name = "gongkai.disclosure"
    label = "disclosure"
    verbose_name = "主动公开"

    def ready(self) -> None:
        from gongkai.disclosure import search

        post_migrate.connect(search._post_migrate, sender=self, dispatch_uid="disclosure_sqlite_search_index")
