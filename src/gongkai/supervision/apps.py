from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "gongkai.supervision"
    label = "supervision"
    verbose_name = "政务公开监督"

    def ready(self):
        # A report published in gongkai is filed and audited for the supervisor: annualreports sends
        # the signal and knows nothing of this app (the layers point down).
        from gongkai.accounts.dashboards import register_panel_source
        from gongkai.supervision import receivers
        from gongkai.supervision.dashboard import fill_panels

        receivers.connect()
        register_panel_source("supervision", fill_panels)
