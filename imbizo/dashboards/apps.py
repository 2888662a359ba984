from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "imbizo.dashboards"
    label = "dashboards"
