from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "imbizo.clients"
    label = "clients"
    verbose_name = "Clients"
