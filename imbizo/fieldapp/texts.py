"""The words app.js shows, translated on the server and handed to the page as
JSON (the shell has no inline script: the Content-Security-Policy forbids it)."""

from django.utils.translation import gettext as _


def app_texts() -> dict[str, str]:
    return {
        "online": _("Online"),
        "offline": _("Offline: records are kept on this phone"),
        "syncing": _("Sending…"),
        "waiting_none": _("Nothing waiting to send."),
        "waiting_one": _("1 record waiting to send."),
        "waiting_many": _("%(count)s records waiting to send."),
        "photo_waiting_one": _("1 photo waiting to send."),
        "photos_waiting": _("%(count)s photos waiting to send."),
        "last_sync": _("Last sent: %(when)s"),
        "never_synced": _("Not sent yet from this phone."),
        "saved": _("Saved on this phone. It will be sent when there is signal."),
        "received": _("Received"),
        "receipt": _("Receipt %(code)s"),
        "waiting": _("Waiting to send"),
        "photo_waiting": _("Photo waiting to send"),
        "photo_refused": _("Photo refused: %(reason)s"),
        "conflict": _("Sent to your supervisor: someone else changed this record first."),
        "refused": _("Not accepted: %(reason)s"),
        "outside_wards": _("The point is outside every ward: your supervisor will check it."),
        "signed_out": _("This phone is not connected. Sign in once to connect it."),
        "token_refused": _("This phone's connection was withdrawn. Your records are safe on "
                           "the phone: sign in again to send them."),
        "storage_refused": _("This browser did not promise to keep your records. If the phone "
                             "runs short of space it may delete records not yet sent: send "
                             "often, and add the app to your home screen."),
        "storage_unknown": _("This browser cannot promise to keep your records: send often."),
        "no_storage": _("This browser cannot save records (private browsing?). Use a normal "
                        "window of Chrome or Firefox."),
        "required": _("Please answer: %(question)s"),
        "not_whole_number": _("Please enter a whole number: %(question)s"),
        "not_number": _("Please enter a number: %(question)s"),
        "location_working": _("Finding your location…"),
        "location_found": _("Location found (within %(metres)s m)."),
        "location_failed": _("Could not find your location: type the latitude and longitude."),
        "location_unsupported": _("This phone cannot share its location: type the latitude "
                                  "and longitude."),
        "latitude": _("Latitude"),
        "longitude": _("Longitude"),
        "use_location": _("Use my location"),
        "choose": _("Choose…"),
        "problem_needs_service": _("Choose the kind of problem to report."),
        "problem_needs_description": _("Describe the problem in a few words."),
        "case_opened": _("Problem reported: %(reference)s"),
        "case_waiting": _("Problem report waiting to send"),
        "photo_kept": _("The photo taken before is kept. Take a new one to replace it."),
        "change": _("Change"),
        "change_label": _("Change the visit of %(when)s"),
        "change_waiting": _("Change waiting to send"),
        "connected": _("This phone is connected. Opening the field app…"),
        "connect_expired": _("this page was open too long. Reload it and try again."),
        "connect_failed": _("Could not connect this phone: %(reason)s"),
        "network_failed": _("No connection to the server."),
    }
