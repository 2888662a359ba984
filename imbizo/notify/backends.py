"""Message backends that deliver nothing, and what production says of them.

Django's console, file, in-memory and dummy email backends and our log SMS
backend are for development and tests: a message handed to them reaches no
citizen. A production install that used one would mark every acknowledgement
"sent" while printing citizens' addresses and survey links to its log. This
module is read by the production settings (before Django is set up, so it
imports nothing of Django's) and by the system check.
"""

NO_DELIVERY_EMAIL_BACKENDS = frozenset({
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
})
NO_DELIVERY_SMS_BACKENDS = frozenset({"imbizo.notify.sms.LogSmsBackend",
                                      "imbizo.notify.sms.FileSmsBackend"})


def delivers_nothing(*, email_backend: str = "", sms_backend: str = "") -> bool:
    return email_backend in NO_DELIVERY_EMAIL_BACKENDS or sms_backend in NO_DELIVERY_SMS_BACKENDS


def delivery_faults(*, email_backend: str, sms_backend: str) -> list[str]:
    """Why these backends may not serve a production install (empty when they may)."""
    faults = []
    if email_backend in NO_DELIVERY_EMAIL_BACKENDS:
        faults.append(
            f"EMAIL_BACKEND is {email_backend}, which delivers no email: citizens would get "
            "nothing while their messages were marked sent. Set EMAIL_BACKEND="
            "django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST, or TEST_INSTALL=true "
            "for a trial install that sends nothing.")
    if sms_backend in NO_DELIVERY_SMS_BACKENDS:
        faults.append(
            f"SMS_BACKEND is {sms_backend}, which delivers no text message. Set SMS_BACKEND="
            "imbizo.notify.sms.HttpGatewaySmsBackend with SMS_GATEWAY_URL, or "
            "TEST_INSTALL=true for a trial install that sends nothing.")
    return faults
