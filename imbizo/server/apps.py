from django.apps import AppConfig


class ServerConfig(AppConfig):
    """How Imbizo is run and watched: `imbizo run` and `imbizo worker`, and the
    endpoints load balancers and Prometheus call (healthz, readyz, metrics).

    An interface: what it reports is kept by the kernel app `imbizo.ops`
    (logs, metrics, heartbeats, outage handling).
    """

    name = "imbizo.server"
    label = "server"
