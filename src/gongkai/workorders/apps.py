from django.apps import AppConfig


class WorkordersConfig(AppConfig):
    name = "gongkai.workorders"
    label = "workorders"
    verbose_name = "热线和网络平台工单"

    def ready(self) -> None:
        from gongkai.accounts.dashboards import register_panel_source
        from gongkai.workorders.dashboard import fill_panels

        register_panel_source("workorders", fill_panels)
