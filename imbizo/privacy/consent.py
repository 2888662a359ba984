"""The words citizens are asked to agree to. Change a text here and the next
consent given points at a new version (ConsentWording rows are made on first
use); consents already given keep pointing at the words that were shown."""

from django.utils.translation import gettext_lazy as _

CONTACT = "contact"

# The portal's report form shows this beside the consent box; agents read it
# to a caller before ticking the box on the intake screen.
CONTACT_WORDING = _(
    "I agree that the municipality may contact me about this report by the phone number "
    "or email address I give. They are used for this report only and are never shown "
    "on public pages."
)

ALERTS = "alerts"

# Shown beside the ward alert sign-up form (outreach); staff read it to a
# caller they subscribe.
ALERTS_WORDING = _(
    "I agree that the municipality may send me alerts about service interruptions in the "
    "wards I chose, to the phone number or email address I give. It is used for these "
    "alerts only, never shown on public pages, and every message tells me how to stop them."
)
