from django.apps import AppConfig


class FieldAppConfig(AppConfig):
    name = "imbizo.fieldapp"
    label = "fieldapp"
    verbose_name = "Field app"
