"""The ward alert sign-up form, shared by the portal (/alerts/, the ward
pages) and the back office (staff subscribing a caller)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from imbizo.catalogue.models import Service
from imbizo.core.errors import DomainError
from imbizo.geo.models import Ward
from imbizo.outreach.alerts import RADIUS_MAX_M, Point, subscription_request
from imbizo.privacy.consent import ALERTS_WORDING

from .styling import BootstrapForm

RADII = ((500, _("500 metres")), (1000, _("1 km")), (2000, _("2 km")), (5000, _("5 km")))


class SubscribeForm(BootstrapForm):
    channel = forms.ChoiceField(
        label=_("Send alerts by"), widget=forms.RadioSelect, initial="sms",
        choices=(("sms", _("SMS to my phone")), ("email", _("Email"))))
    address = forms.CharField(
        label=_("Mobile number or email address"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "on", "inputmode": "text"}),
        help_text=_("For SMS, a South African mobile number such as 082 123 4567."))
    ward = forms.ChoiceField(label=_("Ward"), required=False)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    radius_m = forms.TypedChoiceField(
        label=_("Around my location, within"), choices=RADII, coerce=int, initial=1000,
        required=False)
    service = forms.ChoiceField(label=_("About"), required=False)
    consent = forms.BooleanField(label=ALERTS_WORDING, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].choices = [("", _("Choose a ward"))] + [
            (code, f"{code} {name}") for code, name in
            Ward.objects.order_by("code").values_list("code", "name")]
        self.fields["service"].choices = [("", _("Every service"))] + list(
            Service.objects.filter(active=True).order_by("name").values_list("pk", "name"))

    def subscribe(self, *, by=None):
        """Store the subscription the form describes (see
        outreach.alerts.subscription_request), or None with the errors on the form."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        point = None
        if data.get("lat") is not None and data.get("lon") is not None:
            point = Point(lat=data["lat"], lon=data["lon"],
                          radius_m=data.get("radius_m") or RADIUS_MAX_M)
        ward_ids = list(Ward.objects.filter(code=data["ward"]).values_list("pk", flat=True)
                        ) if data.get("ward") else []
        try:
            return subscription_request(
                channel=data["channel"], address=data["address"], ward_ids=ward_ids,
                point=point, service_ids=[int(data["service"])] if data.get("service") else [],
                consent=data["consent"], by=by)
        except DomainError as error:
            field = {"wards": "ward", "point": "ward", "services": "service"}.get(
                error.field or "", error.field)
            self.add_error(field if field in self.fields else None, error.message)
            return None


class ConfirmCodeForm(BootstrapForm):
    code = forms.CharField(
        label=_("The code in the SMS"), max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
