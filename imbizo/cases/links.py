"""Links to a case's public pages, for messages, the API, Open311 and webhooks."""

from django.urls import NoReverseMatch, reverse

from imbizo.core.links import site_link


def track_path(reference: str) -> str:
    """The citizen's tracking page of `reference`, relative to the site."""
    try:
        return reverse("portal:case_track", args=[reference])
    except NoReverseMatch:  # an install without the portal's URLs (some tests)
        return f"/track/{reference}/"


def track_link(reference: str, *, secret: str = "") -> str:
    """The tracking page's absolute URL; with `secret`, the link that lets its
    holder reopen the case (only the citizen's own messages carry one)."""
    return site_link(track_path(reference), query={"secret": secret})


def survey_link(token: str) -> str:
    """Where a survey invitation's holder answers it."""
    return site_link(f"/survey/{token}/")


def staff_case_link(reference: str) -> str:
    """The case's page in the back office (for staff emails)."""
    return site_link(f"/staff/cases/{reference}/")
