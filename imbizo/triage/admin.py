from . import usage_admin  # noqa: F401  (registers the duplicate windows and suggestion records)
