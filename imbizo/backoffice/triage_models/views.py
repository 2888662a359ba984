"""The triage model's versions and their evaluation, for administrators."""

from django.shortcuts import render

from imbizo.catalogue.models import Service
from imbizo.org.authorisation import permission_required
from imbizo.org.permissions import Permission
from imbizo.triage.model_selectors import model_versions
from imbizo.triage.suggest import threshold


@permission_required(Permission.TRIAGE_MODELS)
def triage_models(request):
    """Each version: when, on how much, how well; which is in use and why."""
    versions = model_versions()
    shown = next((v for v in versions if v.version == request.GET.get("version")), None)
    shown = shown or next((v for v in versions if v.in_use), None) or (
        versions[0] if versions else None)
    per_service = []
    if shown is not None:
        names = dict(Service.objects.values_list("code", "name"))
        per_service = sorted(
            ({"code": code, "name": names.get(code, code), **figures}
             for code, figures in shown.evaluation.get("services", {}).items()),
            key=lambda row: (row["f1"], row["code"]))
    return render(request, "backoffice/triage_models/models.html", {
        "versions": versions, "shown": shown, "per_service": per_service,
        "in_use": next((v for v in versions if v.in_use), None),
        "threshold": round(threshold() * 100)})
