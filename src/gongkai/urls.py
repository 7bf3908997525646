from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "gongkai 政府信息公开管理系统"
admin.site.site_title = "gongkai 管理"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("gongkai.accounts.urls")),
    path("audit/", include("gongkai.audits.urls")),
    path("work/supervision/", include("gongkai.supervision.urls")),
    path("", include("gongkai.applications.urls")),
    path("work/reviews/", include("gongkai.litigation.urls")),
    path("work/proactive/", include("gongkai.proactive.urls")),
    path("work/notifications/", include("gongkai.notifications.urls")),
    # before disclosure: /xxgk/jianyitian/ must not be taken by the column's routes
    path("", include("gongkai.proposals.urls")),
    path("", include("gongkai.workorders.urls")),
    # before disclosure too: /xxgk/xinwenfabu/ is the column's 新闻发布 list
    path("", include("gongkai.publicity.urls")),
    # annual reports before disclosure: /xxgk/nianbao/ must not be taken by the column's routes
    path("", include("gongkai.annualreports.urls")),
    path("", include("gongkai.disclosure.urls")),
    # the root is the public disclosure column; staff reach their work area from its login link
    path("", RedirectView.as_view(url="/xxgk/", permanent=False)),
]
