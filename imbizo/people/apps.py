from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "imbizo.people"
    label = "people"
    verbose_name = "People and service orientation"
