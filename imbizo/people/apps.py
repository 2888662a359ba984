from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "imbizo.people"
    label = "people"
    verbose_name = "People and service orientation"

    def ready(self) -> None:
        # The time log, feedback and contact notes join the person's own
        # export and the leaver retention rule (people.export).
        from . import log_privacy

        log_privacy.register()
