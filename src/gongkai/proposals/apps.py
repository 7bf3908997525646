from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "gongkai.proposals"
    label = "proposals"
    verbose_name = "建议提案办理"

    def ready(self) -> None:
        from gongkai.accounts.dashboards import register_panel_source
        from gongkai.proposals.dashboard import fill_panels
        from gongkai.proposals.services import deadlines_recompute_after_notice
        from gongkai.workcalendar.signals import holiday_notice_changed

        def recompute(sender, *, year, actor, today, **kwargs):
            deadlines_recompute_after_notice(year=year, actor=actor, today=today)
            return []  # the moves are in the proposals' own logs; the admin's count is of applications

        # a holiday notice entered in the calendar app recounts the provisional deadlines at once
        holiday_notice_changed.connect(recompute, weak=False, dispatch_uid="proposals.recompute_deadlines")

        register_panel_source("proposals", fill_panels)
