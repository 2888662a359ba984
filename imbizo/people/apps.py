from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "imbizo.people"
    label = "people"
    verbose_name = "People and service orientation"

    def ready(self) -> None:
        # This part's sections of the person's export and its leaver
        # retention; the other parts register theirs in the same way.
        from . import records  # models are ready only now
        from .export import register_export, register_retention  # with them

        register_export("assessments", records.export_assessments)
        register_export("development_plans", records.export_plans)
        register_export("who_looked", records.export_record_views)
        register_retention(records.retain)

        # The time log, feedback and contact notes join the person's own
        # export and the leaver retention rule (people.export).
        from . import log_privacy

        log_privacy.register()
