"""The REST API, version 1, at /api/v1/ (OpenAPI at /api/v1/openapi.json,
interactive docs at /api/v1/docs). See docs/api.md."""

from ninja import NinjaAPI, Swagger

from . import cases, catalogue, engagement, errors, interruptions, places, stats, triage
from .parsing import BoundedJsonParser

api = NinjaAPI(
    title="Imbizo API",
    version="1",
    description=(
        "Cases, services and their standards, wards, offices, contacts and survey "
        "responses, for integrations holding an API key. Send the key as "
        "`X-API-Key: imb_...` or `Authorization: Bearer imb_...`. Personal data "
        "(citizens' names, contact details, descriptions, exact locations) is returned "
        "only to keys with the `personal` scope. See docs/api.md."
    ),
    urls_namespace="api-v1",
    parser=BoundedJsonParser(),
    # Served from this site's static files (ninja is an installed app), with the
    # settings in a JSON block: no inline script, so the site's CSP holds.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
errors.install(api)
api.add_router("", cases.router)
api.add_router("", catalogue.router)
api.add_router("", places.router)
api.add_router("", engagement.router)
api.add_router("", stats.router)
api.add_router("", interruptions.router)
api.add_router("", triage.router)
