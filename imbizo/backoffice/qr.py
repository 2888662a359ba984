"""Printable QR codes for office counters (PNG and PDF), for walk-in feedback."""

import io

import qrcode
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from imbizo.cases.links import survey_link
from imbizo.engagement.services import counter_token
from imbizo.org.authorisation import permission_required
from imbizo.org.models import Office, Role
from imbizo.org.permissions import Permission


def _poster(office: Office, url: str) -> Image.Image:
    code = qrcode.make(url, box_size=12, border=2).get_image().convert("RGB")
    page = Image.new("RGB", (code.width + 160, code.height + 300), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=34)
    small = ImageFont.load_default(size=22)
    draw.text((80, 50), _("How did we serve you today?"), fill="black", font=font)
    draw.text((80, 110), office.name, fill="black", font=small)
    page.paste(code, (80, 160))
    draw.text((80, 180 + code.height), _("Scan with your phone: three quick questions."),
              fill="black", font=small)
    return page


@permission_required(Permission.OFFICE_COUNTER_QR)
def counter_qr(request, code: str, fmt: str):
    """A supervisor prints their office's code, a manager those of their department's
    offices; another office is "not found", as for cases."""
    if fmt not in ("png", "pdf"):
        raise Http404
    office = get_object_or_404(Office, code=code)
    staff = request.staff
    if (staff.role == Role.SUPERVISOR and staff.office_id != office.pk) or (
            staff.role == Role.MANAGER and staff.department_id != office.department_id):
        raise Http404(_("No such office in your area."))
    url = survey_link(counter_token(office))
    buffer = io.BytesIO()
    if fmt == "pdf":
        _poster(office, url).save(buffer, format="PDF", resolution=150)
        content_type = "application/pdf"
    else:
        qrcode.make(url, box_size=10, border=2).save(buffer)
        content_type = "image/png"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="feedback-{office.code}.{fmt}"'
    return response
