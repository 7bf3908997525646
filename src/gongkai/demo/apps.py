from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed for its management commands (seed_demo and the rest); it has no models."""

    name = "gongkai.demo"
    label = "demo"
    verbose_name = "演示数据"
