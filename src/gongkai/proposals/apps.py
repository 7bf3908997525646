from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "gongkai.proposals"
    label = "proposals"
    verbose_name = "建议提案办理"

    def ready(self) -> None:
        from gongkai.accounts.dashboards import register_panel_source
        from gongkai.proposals.dashboard import fill_panels

        register_panel_source("proposals", fill_panels)
