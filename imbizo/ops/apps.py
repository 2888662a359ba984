from django.apps import AppConfig


class OpsConfig(AppConfig):
    """The kernel of operations: structured logs, metrics counters, worker
    heartbeats and outage handling, which any app may use. The commands and
    endpoints that show them are the interface imbizo.server."""

    name = "imbizo.ops"
    label = "ops"
