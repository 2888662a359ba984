"""Whether a measure is tied to a figure that exists (used by Measure.clean and
the services): a known survey instrument and scored question, a service with a
published standard, a sensible target."""

from django.utils.translation import gettext as _

from imbizo.catalogue.models import ServiceStandard
from imbizo.engagement.models import Instrument, Question, QuestionType

from .errors import ClientError, ClientErrorCode
from .group_choices import MeasureSource

NUMERIC_QUESTIONS = (QuestionType.SCALE_5, QuestionType.SCALE_11)
SCALE_TOP = {QuestionType.SCALE_5: 5, QuestionType.SCALE_11: 10}


def measure_check(measure):
    """Check that `measure` is tied to a figure that exists; ClientError names what not."""
    def bad(code, message, field):
        raise ClientError(code, message, field=field)

    if measure.source not in MeasureSource.values:
        bad(ClientErrorCode.INVALID_MEASURE, _("Choose the figure the measure is tied to."),
            "source")
    if not (measure.name or "").strip():
        bad(ClientErrorCode.INVALID_MEASURE, _("Give the measure a name."), "name")
    if measure.target is None:
        bad(ClientErrorCode.INVALID_MEASURE, _("Give the measure a target."), "target")
    source = measure.source
    if source == MeasureSource.SURVEY:
        if not measure.instrument_code or not measure.question_code:
            bad(ClientErrorCode.UNKNOWN_FIGURE,
                _("A survey measure needs an instrument code and a question code."),
                "instrument_code" if not measure.instrument_code else "question_code")
        if not Instrument.objects.filter(code=measure.instrument_code).exists():
            bad(ClientErrorCode.UNKNOWN_FIGURE,
                _("There is no survey instrument with the code “%(code)s”.")
                % {"code": measure.instrument_code}, "instrument_code")
        types = set(Question.objects.filter(
            instrument__code=measure.instrument_code,
            code=measure.question_code).values_list("type", flat=True))
        if not types:
            bad(ClientErrorCode.UNKNOWN_FIGURE,
                _("The instrument “%(instrument)s” has no question with the code "
                  "“%(question)s”.") % {"instrument": measure.instrument_code,
                                        "question": measure.question_code}, "question_code")
        if not types <= set(NUMERIC_QUESTIONS):
            bad(ClientErrorCode.UNKNOWN_FIGURE,
                _("The question “%(question)s” is not answered with a score, so it has no "
                  "mean.") % {"question": measure.question_code}, "question_code")
        top = max(SCALE_TOP[t] for t in types)
        if not 0 <= measure.target <= top:
            bad(ClientErrorCode.INVALID_MEASURE,
                _("The target of a score lies between 0 and %(top)d.") % {"top": top}, "target")
    elif source == MeasureSource.COMPLIANCE:
        if measure.service_id is not None and not ServiceStandard.objects.filter(
                service_id=measure.service_id, published=True).exists():
            bad(ClientErrorCode.UNKNOWN_FIGURE,
                _("The service “%(service)s” has no published standard, so it has no "
                  "compliance.") % {"service": measure.service}, "service")
        if not 0 <= measure.target <= 100:
            bad(ClientErrorCode.INVALID_MEASURE,
                _("The target of a share lies between 0 and 100 (%)."), "target")
    elif measure.target < 0:  # hours to first response or to resolution
        bad(ClientErrorCode.INVALID_MEASURE, _("A number of hours cannot be negative."),
            "target")
    if source != MeasureSource.SURVEY and (measure.instrument_code or measure.question_code):
        bad(ClientErrorCode.INVALID_MEASURE,
            _("Only a survey measure has an instrument and a question."), "instrument_code")
    if source in (MeasureSource.SURVEY, MeasureSource.MANUAL) and measure.service_id:
        bad(ClientErrorCode.INVALID_MEASURE,
            _("Only a measure of cases (compliance or response time) is limited to a service."),
            "service")
    return measure


