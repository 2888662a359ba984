"""Writes for the clients app: which group a case or a survey response belongs to.

Other apps (intake, surveys, imports) call these instead of writing the link
rows themselves, so the rules below hold everywhere.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from .errors import ClientError, ClientErrorCode
from .models import CaseClient, ClientGroup, KeyClient, ResponseClient


def default_group(client_type: str) -> ClientGroup | None:
    """The active group a case of `client_type` counts in when it has no link."""
    return (ClientGroup.objects.filter(client_type=client_type, default_for_type=True,
                                       active=True).first())


def group_of_case(case) -> ClientGroup | None:
    """The group `case` belongs to: its link, else its client type's default group."""
    link = CaseClient.objects.select_related("group").filter(case_id=case.pk).first()
    if link is not None:
        return link.group
    return default_group(case.client_type)


def _resolve(group: ClientGroup | None, key_client: KeyClient | None) -> ClientGroup:
    """Check the group and key client; a key client's own group wins."""
    if key_client is not None:
        if not key_client.active:
            raise ClientError(ClientErrorCode.KEY_CLIENT_INACTIVE,
                              _("The key client “%(name)s” is no longer active.")
                              % {"name": key_client.name}, field="key_client")
        group = key_client.group
    if group is None:
        raise ClientError(ClientErrorCode.GROUP_INACTIVE, _("Choose a client group."),
                          field="group")
    if not group.active:
        raise ClientError(ClientErrorCode.GROUP_INACTIVE,
                          _("The client group “%(name)s” is no longer active.")
                          % {"name": group.name}, field="group")
    return group


@transaction.atomic
def case_client_set(*, case, group: ClientGroup | None, key_client: KeyClient | None = None,
                    source: str = CaseClient.Source.INTAKE, agreed: str = "") -> CaseClient:
    """Put `case` in `group` (and `key_client`), replacing any earlier link.

    When a key client is given its own group is used, whatever `group` says.
    `agreed` records what was agreed with the client for a customised service.
    """
    group = _resolve(group, key_client)
    link, _created = CaseClient.objects.update_or_create(
        case=case, defaults={"group": group, "key_client": key_client, "source": source,
                             "agreed": (agreed or "").strip()})
    return link


@transaction.atomic
def response_client_set(*, response, group: ClientGroup | None,
                        key_client: KeyClient | None = None,
                        source: str = CaseClient.Source.SURVEY) -> ResponseClient:
    """Say that survey `response` speaks for `group` (and `key_client`)."""
    group = _resolve(group, key_client)
    link, _created = ResponseClient.objects.update_or_create(
        response=response, defaults={"group": group, "key_client": key_client,
                                     "source": source})
    return link
