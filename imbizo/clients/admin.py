from . import group_admin  # noqa: F401  (registers groups, criteria, measures, benefits)
