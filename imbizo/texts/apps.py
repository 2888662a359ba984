from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TextsConfig(AppConfig):
    name = "imbizo.texts"
    label = "texts"
    verbose_name = _("Content translations")

    def ready(self) -> None:
        # Connected once the app registry is ready (the receivers use models).
        from . import receivers  # noqa: F401
