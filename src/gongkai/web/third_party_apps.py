"""Chinese names in the admin for the third-party apps that show there (django-axes, django-tasks).

Each is the package's own AppConfig with a verbose name; the model names are set on ``_meta`` when
the app is ready (not in ``original_attrs``, so no migration follows from them).
"""

from __future__ import annotations

from axes.apps import AppConfig as _AxesConfig
from django_tasks.apps import TasksAppConfig as _TasksConfig
from django_tasks_db.apps import TasksAppConfig as _TasksDbConfig


def _name_models(config, names: dict[str, tuple[str, str]]) -> None:
    for model in config.get_models():
        if model.__name__ in names:
            model._meta.verbose_name, model._meta.verbose_name_plural = names[model.__name__]


class AxesConfig(_AxesConfig):
    verbose_name = "登录保护"

    def ready(self):
        super().ready()
        _name_models(
            self,
            {
                "AccessAttempt": ("登录失败记录", "登录失败记录"),
                "AccessFailureLog": ("登录失败日志", "登录失败日志"),
                "AccessLog": ("登录日志", "登录日志"),
                "AccessAttemptExpiration": ("登录锁定到期", "登录锁定到期"),
            },
        )


class TasksConfig(_TasksConfig):
    verbose_name = "后台任务"


class TasksDbConfig(_TasksDbConfig):
    verbose_name = "后台任务"

    def ready(self) -> None:
        super().ready()
        _name_models(self, {"DBTaskResult": ("后台任务记录", "后台任务记录")})
