from django.apps import AppConfig

from imbizo.core.ratelimit import rate_limit_refused
from imbizo.core.replica import replica_fallback


class OpsConfig(AppConfig):
    """The kernel of operations: structured logs, metrics counters, worker
    heartbeats and outage handling, which any app may use. The commands and
    endpoints that show them are the interface imbizo.server."""

    name = "imbizo.ops"
    label = "ops"

    def ready(self) -> None:
        # Connected once apps are loaded: metrics counts refusals of the shared
        # limiter and reads the replica could not take.
        from . import metrics

        rate_limit_refused.connect(metrics.rate_limit_refused_observe,
                                   dispatch_uid="imbizo.ops.metrics.rate_limits")
        replica_fallback.connect(metrics.replica_fallback_observe,
                                 dispatch_uid="imbizo.ops.metrics.replica_fallbacks")
