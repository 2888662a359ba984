from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "imbizo.field"
    label = "field"
    verbose_name = "Field capture"
