from django.apps import AppConfig


class LitigationConfig(AppConfig):
    name = "gongkai.litigation"
    label = "litigation"
    verbose_name = "行政复议和行政诉讼"
