from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    label = "applications"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from gongkai.accounts.dashboards import register_panel_source
        from gongkai.applications.dashboard import fill_panels
        from gongkai.applications.services import deadlines_recompute_after_notice
        from gongkai.workcalendar.signals import holiday_notice_changed

        def recompute(sender, *, year, actor, today, **kwargs):
            return deadlines_recompute_after_notice(year=year, actor=actor, today=today)

        # a holiday notice entered in the calendar app moves open cases' deadlines at once
        holiday_notice_changed.connect(recompute, weak=False, dispatch_uid="applications.recompute_deadlines")
        register_panel_source("applications", fill_panels)

        from gongkai.applications.notices import digest_for
        from gongkai.notifications.digest import register_digest_source

        register_digest_source("applications", digest_for)
