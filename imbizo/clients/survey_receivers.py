"""The clients app listens to engagement: an answered round invitation is linked
to the recipient's client group and key client (engagement knows no clients)."""

from django.dispatch import receiver

from imbizo.engagement.hooks import response_submitted
from imbizo.engagement.models import Response

from .survey import response_link


@receiver(response_submitted, sender=Response, dispatch_uid="clients.survey_response_link")
def survey_response_link(sender, response, **kwargs) -> None:
    response_link(response=response)
