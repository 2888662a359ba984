"""The public recognition wall (interface only): staff and teams recognised
for good service, shown only with their consent (see quality.selectors)."""

from django.shortcuts import render

from imbizo.quality.selectors import public_wall


def recognition(request):
    return render(request, "portal/recognition.html", {"recognitions": public_wall()})
