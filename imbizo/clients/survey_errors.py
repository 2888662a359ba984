from enum import StrEnum


class SurveyError(StrEnum):
    NO_RECIPIENTS = "no_recipients"
    NO_SURVEY = "no_survey"
    NOT_THIRD_PARTY = "not_third_party"
    IMPORT_INVALID = "import_invalid"
