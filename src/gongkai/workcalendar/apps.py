from django.apps import AppConfig


class WorkCalendarConfig(AppConfig):
    name = "gongkai.workcalendar"
    label = "workcalendar"
    verbose_name = "节假日安排"
