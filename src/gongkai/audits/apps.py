from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "gongkai.audits"
    label = "audits"
    verbose_name = "年报审计"
