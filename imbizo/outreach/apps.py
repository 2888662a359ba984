from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "imbizo.outreach"
    label = "outreach"
    verbose_name = "Community outreach and alerts"
