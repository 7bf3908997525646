from django.apps import AppConfig


class AnnualReportsConfig(AppConfig):
    name = "gongkai.annualreports"
    label = "annualreports"
    verbose_name = "年度报告"
