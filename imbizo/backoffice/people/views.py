"""The people pages: one's own development ("My development"), the team of
the people who report to one, and a person's page as their manager sees it.

Whose record may be opened is decided by people.access (the person and their
manager only); every view of someone else's record is logged.
"""

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from imbizo.org.authorisation import permission_required
from imbizo.org.permissions import Permission
from imbizo.people import access
from imbizo.people import export as people_export

development_required = permission_required(Permission.PEOPLE_DEVELOPMENT)


@development_required
def home(request):
    """My development: the signed-in person's own record."""
    me = request.staff
    return render(request, "backoffice/people/home.html", {
        "subject": me, "own": True, "team_size": access.team_of(me).count()})


@development_required
def person(request, staff_id: int):
    """A person's record as their manager sees it (logged)."""
    subject = access.subject_or_403(request, staff_id, what="record")
    return render(request, "backoffice/people/home.html", {
        "subject": subject, "own": subject.pk == request.staff.pk, "team_size": 0})


@development_required
def team(request):
    """The people who report to the signed-in person."""
    return render(request, "backoffice/people/team.html", {
        "team": access.team_of(request.staff)})


@development_required
def export(request):
    """The person's own record as a JSON download."""
    me = request.staff
    body = json.dumps(people_export.export_for(me), indent=2, ensure_ascii=False, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-development-{stamp}.json"'
    return response
