from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "imbizo.triage"
    label = "triage"
    verbose_name = "Triage and duplicates"
