"""The public page of who the institution serves: services x external client
groups, with the benefit, the standard and the measured satisfaction. Figures
only, never a person or a key client."""

from django.shortcuts import render

from imbizo.clients.group_selectors import matrix


def client_matrix(request):
    return render(request, "portal/client_matrix.html", {
        "matrix": matrix(external_only=True)})
