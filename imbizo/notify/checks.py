"""System checks: `imbizo check --deploy` says when messages would not reach anyone."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from .backends import delivery_faults


@register(Tags.compatibility, deploy=True)
def delivery_check(app_configs, **kwargs) -> list[Error]:
    if settings.TEST_INSTALL:
        return []
    return [Error(fault, id="notify.E001") for fault in delivery_faults(
        email_backend=settings.EMAIL_BACKEND, sms_backend=settings.SMS_BACKEND)]
