"""`{% alert_signup ward_code %}`: the ward alert sign-up form, for the ward pages."""

from django import template

from imbizo.web.alert_forms import SubscribeForm

register = template.Library()


@register.inclusion_tag("web/_alert_signup.html", takes_context=True)
def alert_signup(context, ward_code: str) -> dict:
    return {"form": SubscribeForm(initial={"ward": ward_code}), "ward_code": ward_code,
            "csrf_token": context.get("csrf_token")}
