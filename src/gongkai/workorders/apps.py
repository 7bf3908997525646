from django.apps import AppConfig


class WorkordersConfig(AppConfig):
    name = "gongkai.workorders"
    label = "workorders"
    verbose_name = "热线和网络平台工单"

    def ready(self) -> None:
        from gongkai.accounts.dashboards import register_panel_source
        from gongkai.workcalendar.signals import holiday_notice_changed
        from gongkai.workorders.dashboard import fill_panels
        from gongkai.workorders.services import deadlines_recompute_after_notice

        def recompute(sender, *, year, actor, today, **kwargs):
            deadlines_recompute_after_notice(year=year, actor=actor, today=today)
            return []  # the moves are in the workorders' own logs; the admin's count is of applications

        # a holiday notice entered in the calendar app recounts the provisional deadlines at once
        holiday_notice_changed.connect(recompute, weak=False, dispatch_uid="workorders.recompute_deadlines")

        register_panel_source("workorders", fill_panels)
