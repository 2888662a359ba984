"""Ward alert pages for citizens: sign up, confirm, unsubscribe (interface only)."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from imbizo.core.errors import DomainError
from imbizo.core.ratelimit import rate_limited
from imbizo.outreach.alert_models import AlertChannel, SubscriptionStatus
from imbizo.outreach.alerts import (
    subscription_confirm,
    subscription_for_confirmation,
    subscription_for_unsubscribe,
    subscriptions_end,
)
from imbizo.web.alert_forms import ConfirmCodeForm, SubscribeForm


@never_cache
@rate_limited("alerts", methods=("POST",))
def alerts_subscribe(request):
    """The sign-up form (also posted from a ward page, with its ward chosen)."""
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        subscription = form.subscribe()
        if subscription is not None:
            if subscription.channel == AlertChannel.SMS:
                return redirect("portal:alerts_confirm", token=subscription.confirm_token)
            return redirect("portal:alerts_sent")
    else:
        form = SubscribeForm(initial={"ward": request.GET.get("ward", "")[:32]})
    return render(request, "portal/alerts_subscribe.html", {"form": form},
                  status=400 if form.errors else 200)


def alerts_sent(request):
    return render(request, "portal/alerts_sent.html")


@never_cache
@rate_limited("alerts", methods=("POST",))
def alerts_confirm(request, token: str):
    """GET shows a Confirm button (email link scanners open links, they do not
    press buttons) or, for SMS, the code field; POST confirms."""
    try:
        subscription = subscription_for_confirmation(token=token)
    except DomainError as error:
        return render(request, "portal/alerts_message.html",
                      {"title": error.message, "problem": True}, status=404)
    form = ConfirmCodeForm(request.POST or None)
    needs_code = subscription.channel == AlertChannel.SMS
    if request.method == "POST" and (not needs_code or form.is_valid()):
        try:
            subscription = subscription_confirm(
                token=token, code=form.cleaned_data.get("code", "") if needs_code else "")
        except DomainError as error:
            if error.field == "code":
                form.add_error("code", error.message)
            else:
                return render(request, "portal/alerts_message.html",
                              {"title": error.message, "problem": True}, status=409)
        else:
            return render(request, "portal/alerts_confirmed.html",
                          {"subscription": subscription})
    if subscription.status == SubscriptionStatus.CONFIRMED:
        return render(request, "portal/alerts_confirmed.html", {"subscription": subscription})
    return render(request, "portal/alerts_confirm.html", {
        "subscription": subscription, "form": form, "needs_code": needs_code,
    }, status=400 if form.errors else 200)


# The token is the capability (it reached only the subscriber), and mail
# programs post RFC 8058's one-click form without any cookie or CSRF token.
@csrf_exempt
@never_cache
def alerts_unsubscribe(request, token: str):
    """GET asks to confirm; POST ends every alert to that address, again harmlessly."""
    subscription = subscription_for_unsubscribe(token=token)
    if request.method == "POST":
        subscriptions_end(token=token)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse("Unsubscribed.", content_type="text/plain")
        return render(request, "portal/alerts_unsubscribed.html")
    ended = subscription is None or subscription.status == SubscriptionStatus.ENDED
    return render(request, "portal/alerts_unsubscribe.html", {"ended": ended})
