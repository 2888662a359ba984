"""API keys on the REST API: `Authorization: Bearer imb_...` or `X-API-Key: imb_...`.

The key is checked by integrations.services.apikey_authenticate for the
operation's scope ("read" or "write"); its DomainError (missing, invalid,
revoked key; missing scope) becomes a JSON error (api.errors). Each key may
make RATE_LIMITS["api"] requests (429 past it, ADR 0008).
"""

from ninja.security import APIKeyHeader

from imbizo.core.ratelimit import limit_check
from imbizo.integrations.models import ApiKey, Scope
from imbizo.integrations.services import apikey_authenticate


class KeyAuth(APIKeyHeader):
    """Authenticates a request for one scope. Shown in the OpenAPI document as
    an API key in the `X-API-Key` header; `Authorization: Bearer` works too."""

    param_name = "X-API-Key"

    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()

    def _get_key(self, request) -> str | None:
        key = request.headers.get("X-API-Key")
        if key:
            return key
        scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
        return token if scheme.lower() == "bearer" else None

    def authenticate(self, request, key: str | None) -> ApiKey:
        api_key = apikey_authenticate(raw_key=key, scope=self.scope)
        limit_check(scope="api", client=f"key:{api_key.pk}")
        return api_key


read_key = KeyAuth(Scope.READ)
write_key = KeyAuth(Scope.WRITE)
