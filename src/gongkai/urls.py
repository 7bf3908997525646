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
    path("", include("gongkai.applications.urls")),
    # the public disclosure column will live at the root; until then the root leads to the work area
    path("", RedirectView.as_view(pattern_name="accounts:dashboard", permanent=False)),
]
