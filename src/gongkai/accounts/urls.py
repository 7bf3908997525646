from django.contrib.auth import views as auth_views
from django.urls import path

from gongkai.accounts import views, views_review

app_name = "accounts"
urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("work/", views.dashboard, name="dashboard"),
    path("work/agency/settings/", views.agency_settings, name="agency_settings"),
    path("work/agency/review-settings/", views_review.review_settings, name="review_settings"),
]
