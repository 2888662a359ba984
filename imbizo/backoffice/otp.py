"""The second factor: enrol an authenticator app (QR code) and confirm a code.

Required after the password for the roles in OTP_REQUIRED_ROLES and for
anyone who enrolled a device; the staff gate (imbizo.org.authorisation)
sends them here. Codes are checked by django-otp, which throttles guesses.
"""

import base64
import io

import django_otp
import qrcode
from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from imbizo.org.authorisation import second_factor_required
from imbizo.web.styling import BootstrapForm


class CodeForm(BootstrapForm):
    token = forms.CharField(
        label=gettext_lazy("Six-digit code from your authenticator app"), max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _qr_data_uri(text: str) -> str:
    buffer = io.BytesIO()
    qrcode.make(text, box_size=6, border=2).save(buffer)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return "backoffice:home"


@login_required
def second_factor(request):
    """Confirm a code from the enrolled device, or enrol one (shown as a QR code)."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or \
            TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].replace(" ", "")
        if enrolling:
            accepted = device.verify_token(token)
            if accepted:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
        else:
            accepted = django_otp.verify_token(user, device.persistent_id, token) is not None
        if accepted:
            django_otp.login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("That code is not right, or has expired. Try the current one."))
    context = {"form": form, "enrolling": enrolling, "next": _next_url(request),
               "required": second_factor_required(user)}
    if enrolling:
        context["qr"] = _qr_data_uri(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "backoffice/second_factor.html", context)
