"""Staff pages for ward alerts: send a notice to the subscribers of some
wards (with its recipients and SMS segments shown first), and sign a caller
up on their behalf (interface only)."""

import hashlib
import json

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from imbizo.catalogue.models import Service
from imbizo.core.errors import DomainError
from imbizo.geo.models import Ward
from imbizo.notify.segments import sms_length
from imbizo.org.authorisation import permission_required
from imbizo.org.permissions import Permission
from imbizo.outreach.alert_models import AlertChannel, SubscriptionStatus
from imbizo.outreach.alerts import (
    NOTICE_MAX,
    alerts_preview,
    notice_send,
    subscription_confirm,
    subscription_for_confirmation,
)
from imbizo.web.alert_forms import ConfirmCodeForm, SubscribeForm
from imbizo.web.styling import BootstrapForm


class NoticeForm(BootstrapForm):
    wards = forms.MultipleChoiceField(
        label=gettext_lazy("Wards"), widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=gettext_lazy("Hold Ctrl (or ⌘) to choose several."))
    service = forms.ChoiceField(label=gettext_lazy("Service"), required=False)
    text = forms.CharField(
        label=gettext_lazy("Notice"), max_length=NOTICE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Plain words: what, where, until when. One SMS holds 160 "
                               "plain characters with the stop link; one curly quote or "
                               "emoji makes it 70."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wards"].choices = [
            (str(pk), f"{code} {name}")
            for pk, code, name in Ward.objects.order_by("code").values_list("pk", "code", "name")]
        self.fields["service"].choices = [("", _("Any service"))] + [
            (str(pk), name) for pk, name in
            Service.objects.filter(active=True).order_by("name").values_list("pk", "name")]


def _fingerprint(ward_ids: list[int], service_id: int | None, text: str) -> str:
    return hashlib.sha256(json.dumps([sorted(ward_ids), service_id, text]).encode()).hexdigest()


@permission_required(Permission.ALERTS_SEND)
def notice(request):
    """Write a notice, see how many it reaches and how many SMS segments it
    takes, then send it (POST with action=send)."""
    form = NoticeForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        ward_ids = [int(pk) for pk in form.cleaned_data["wards"]]
        service_id = int(form.cleaned_data["service"]) if form.cleaned_data["service"] else None
        text = form.cleaned_data["text"]
        previewed = _fingerprint(ward_ids, service_id, text)
        changed = request.POST.get("previewed") != previewed
        if request.POST.get("action") == "send" and changed:
            # What is sent must be what the figures were shown for.
            messages.error(request, _("The notice or its wards changed since you checked: "
                                      "check the new figures, then send."))
        elif request.POST.get("action") == "send":
            try:
                sent = notice_send(ward_ids=ward_ids, service_id=service_id, text=text,
                                   by=request.staff)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None,
                               error.message)
            else:
                messages.success(request, ngettext(
                    "Notice sent to %(n)d subscriber.", "Notice sent to %(n)d subscribers.",
                    sent) % {"n": sent})
                return redirect("backoffice:alerts_notice")
        if not form.errors:
            recipients, segments = alerts_preview(ward_ids, service_id, text)
            preview = {"recipients": recipients, "segments": segments,
                       "encoding": sms_length(text).encoding, "fingerprint": previewed}
    return render(request, "backoffice/alerts/notice.html", {"form": form, "preview": preview},
                  status=400 if form.errors else 200)


@permission_required(Permission.ALERTS_SUBSCRIBE)
def subscribe(request):
    """Sign a caller up for ward alerts, with their consent read to them."""
    form = SubscribeForm(request.POST or None)
    if request.method == "POST":
        subscription = form.subscribe(by=request.staff)
        if subscription is not None:
            if subscription.channel == AlertChannel.SMS:
                return redirect("backoffice:alerts_subscribe_confirm",
                                token=subscription.confirm_token)
            messages.success(request, _("Done. The caller receives an email with a link to "
                                        "confirm; nothing is sent until they do."))
            return redirect("backoffice:alerts_subscribe")
    return render(request, "backoffice/alerts/subscribe.html", {"form": form},
                  status=400 if form.errors else 200)


@permission_required(Permission.ALERTS_SUBSCRIBE)
def subscribe_confirm(request, token: str):
    """The caller reads out the code from their SMS; the agent types it."""
    try:
        subscription = subscription_for_confirmation(token=token)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("backoffice:alerts_subscribe")
    form = ConfirmCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription = subscription_confirm(token=token, code=form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code" if error.field == "code" else None, error.message)
        else:
            messages.success(request, _("The caller's alerts are on."))
            return redirect("backoffice:alerts_subscribe")
    return render(request, "backoffice/alerts/subscribe_confirm.html", {
        "form": form, "confirmed": subscription.status == SubscriptionStatus.CONFIRMED,
    }, status=400 if form.errors else 200)
