"""What an adapter reads from a provider's request: one message, in our words.
(Re-exported by imbizo.channels.adapters, where adapters take them from.)"""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Media:
    url_or_id: str
    content_type: str = ""
    filename: str = ""
    content: bytes | None = None


@dataclass
class Inbound:
    """One message as the provider delivered it, in our words."""

    provider_id: str
    sender: str
    text: str = ""
    received_at: datetime | None = None
    lat: float | None = None
    lon: float | None = None
    media: list[Media] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
