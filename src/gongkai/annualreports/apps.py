from django.apps import AppConfig


class AnnualReportsConfig(AppConfig):
    name = "gongkai.annualreports"
    label = "annualreports"
    verbose_name = "年度报告"

    def ready(self) -> None:
        from gongkai.accounts.dashboards import register_panel_source
        from gongkai.annualreports.dashboard import fill_panels

        register_panel_source("annualreports", fill_panels)
