"""Which translatable text a citizen sees: the sources whose catalogue entries
must be translated in every enabled language (public pages, messages to
citizens, surveys, channel dialogues, form errors). Staff pages are marked
for translation too but may stay English.

Paths are globs relative to the `imbizo/` package, as makemessages writes
them in a catalogue entry's `#:` location lines. An entry is citizen-facing
when any of its locations matches.
"""

from fnmatch import fnmatch

CITIZEN_SOURCES: tuple[str, ...] = (
    # Public pages and their forms.
    "portal/*",
    "templates/portal/*",
    "templates/base.html",
    "templates/403.html",
    "templates/403_csrf.html",
    "templates/404.html",
    "templates/429.html",
    "templates/500.html",
    "web/templates/web/_field.html",
    "web/templates/web/_questions.html",
    "web/templates/web/_place_picker.html",
    "web/templates/web/_alert_signup.html",
    "web/templates/web/_case_map.html",
    "web/templates/web/_client_matrix.html",
    "web/questions.py",
    "web/places.py",
    "web/alert_forms.py",
    "web/triage.py",
    "web/templatetags/*",
    "texts/templatetags/translated_content.py",
    "dashboards/templates/dashboards/_chart.html",
    "dashboards/templates/dashboards/_map.html",
    "dashboards/templates/dashboards/_period_form.html",
    "dashboards/templates/dashboards/_public_nav.html",
    "dashboards/templates/dashboards/_sort_state.html",
    "dashboards/templates/dashboards/_table.html",
    "dashboards/templates/dashboards/_trend.html",
    "dashboards/templates/dashboards/_ward_outreach.html",
    "dashboards/templates/dashboards/needs.html",
    "dashboards/templates/dashboards/scorecard.html",
    "dashboards/templates/dashboards/scorecard_service.html",
    "dashboards/templates/dashboards/ward.html",
    "dashboards/templates/dashboards/ward_index.html",
    "dashboards/templates/dashboards/meetings/*",
    "dashboards/views.py",
    "dashboards/meeting_views.py",
    # Messages to citizens (the staff ones stay English).
    "cases/templates/notify/case_received.*",
    "cases/templates/notify/case_updated.*",
    "cases/templates/notify/case_resolved.*",
    "cases/templates/notify/case_overdue.sms.txt",
    "cases/templates/notify/case_merged.*",
    "engagement/templates/notify/*",
    "outreach/templates/notify/*",
    "channels/templates/notify/case_received.whatsapp.txt",
    "channels/templates/notify/channels/reply.*",
    "channels/templates/notify/channels/stopped.*",
    "channels/templates/notify/channels/email_answer.*",
    # Channel dialogues, survey answers, intake errors and the words a
    # citizen's case is described with (status, kind, principle, channel).
    "channels/dialogue.py",
    "channels/ussd_menu.py",
    "engagement/services.py",
    "engagement/replies.py",
    "cases/intake.py",
    "cases/models.py",
    "cases/timeline.py",
    "cases/selectors.py",
    "cases/templates/notify/case_overdue.email.txt",
    "cases/uploads.py",
    "cases/services.py",
    "privacy/consent.py",
    "web/styling.py",
    "channels/whatsapp*.py",
    "channels/services.py",
    "channels/surveys.py",
    "channels/email_replies.py",
    "core/languages.py",
    "engagement/models.py",
    "catalogue/models.py",
    "outreach/alerts.py",
    "outreach/interruptions.py",
    "outreach/meetings.py",
    "field/models.py",
    "outreach/interruption_models.py",
    "outreach/meeting_models.py",
    "insights/reports.py",
    "core/django_text.py",
)


def is_citizen_facing(locations: list[str]) -> bool:
    """True when any `path:line` location is in a citizen-facing source."""
    paths = [location.rsplit(":", 1)[0] for location in locations]
    return any(fnmatch(path, pattern) for path in paths for pattern in CITIZEN_SOURCES)
