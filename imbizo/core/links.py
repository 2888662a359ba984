"""Links that leave the site: in emails, text messages, printed posters, API
answers and webhooks. Every one of them is built here, from SITE_URL, so that
an install serving on another address (`make run PORT=8080`, a real domain)
sends links that work. Pages link with relative URLs and need none of this.
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = "8000"
# Addresses a server listens on but a browser cannot open.
_EVERY_ADDRESS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": DEFAULT_HOST}  # noqa: S104


def site_url_for(*, host: str | None, port: str | int | None) -> str:
    """The base URL of a server listening on `host`:`port` (the defaults of
    `make run` where either is missing). A wildcard address becomes the local
    one: a link to 0.0.0.0 opens nothing; set SITE_URL for other machines."""
    host = (host or "").strip()
    host = _EVERY_ADDRESS.get(host, host)
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address in a URL
    return f"http://{host}:{str(port or DEFAULT_PORT).strip()}"


def site_link(path: str = "/", *, query: dict[str, str] | None = None) -> str:
    """The absolute URL of `path` (which starts with "/") on this site, with
    `query` (parameters whose value is empty are left out)."""
    if not path.startswith("/"):
        path = "/" + path
    link = settings.SITE_URL.rstrip("/") + path
    parameters = {name: value for name, value in (query or {}).items() if value}
    if parameters:
        link += ("&" if "?" in path else "?") + urlencode(parameters)
    return link


def site_host() -> str:
    """The site's host name (for identifiers such as Open311's jurisdiction)."""
    return site_host_of(settings.SITE_URL)


def site_host_of(url: str) -> str:
    return urlsplit(url).hostname or "localhost"
