from . import interruption_admin  # noqa: F401  (registers the interruption models)
