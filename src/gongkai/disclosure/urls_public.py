"""The public 政府信息公开 column under /xxgk/ (no login). /xxgk/nianbao/ belongs to the annual reports app."""

from django.urls import path

from gongkai.disclosure import feeds
from gongkai.disclosure import views_public as views

urlpatterns = [
    path("", views.home, name="public_home"),
    path("guide/", views.guide, name="public_guide"),
    path("rules/", views.rules, name="public_rules"),
    path("search/", views.search, name="public_search"),
    path("rss/", feeds.ColumnFeed(), name="public_rss"),
    path("atom/", feeds.ColumnAtomFeed(), name="public_atom"),
    path("columns/<slug:slug>/", views.column, name="public_column"),
    path("columns/<slug:slug>/rss/", feeds.ColumnFeed(), name="public_column_rss"),
    path("columns/<slug:slug>/atom/", feeds.ColumnAtomFeed(), name="public_column_atom"),
    path("documents/<int:pk>/", views.document, name="public_document"),
    path("documents/<int:pk>/files/<int:att_pk>/", views.attachment, name="public_attachment"),
]
