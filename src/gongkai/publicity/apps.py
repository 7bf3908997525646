from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "gongkai.publicity"
    label = "publicity"
    verbose_name = "新媒体与新闻发布"

    def ready(self) -> None:
        from gongkai.accounts.dashboards import register_panel_source
        from gongkai.publicity.dashboard import fill_panels

        register_panel_source("publicity", fill_panels)
