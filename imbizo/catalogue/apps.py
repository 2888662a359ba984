from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "imbizo.catalogue"
    label = "catalogue"
