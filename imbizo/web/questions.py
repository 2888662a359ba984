"""A service's questions (Open311 service definition attributes) as form fields.

Shared by the citizen's report form and the agent's intake form. The fields
only collect what was typed or chosen: every answer is checked by the rule
Open311 uses (cases.intake.attributes_problems), so the three doors agree on
what a good answer is. A form shows the questions of the service it was
rendered for (`questions_for`): when the service changes without JavaScript,
the form comes back with the new service's questions before anything is
checked (docs/users.md, "Questions a service asks").
"""

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext as _

from imbizo.cases.intake import attributes_problems
from imbizo.catalogue.models import AttributeDatatype, Service
from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.core.limits import TEXT_MAX
from imbizo.texts.selectors import words_in

from .styling import text_clean

PREFIX = "attr__"
QUESTIONS_FOR = "questions_for"  # the service code whose questions the form showed
STEP = "step"  # "questions": only show the chosen service's questions (no JavaScript)

_WIDGET_CLASS = {forms.RadioSelect: "form-check-input",
                 forms.CheckboxSelectMultiple: "form-check-input", forms.Select: "form-select"}


class _Answer(forms.Field):
    """Passes what was typed through: the Open311 rule decides (not Django's)."""

    def __init__(self, *, question, **kwargs):
        super().__init__(required=False, **kwargs)
        self.question = question  # the ServiceAttribute, for the template

    @property
    def asks_required(self) -> bool:
        return self.question.required


class _TextAnswer(_Answer):
    def __init__(self, **kwargs):
        super().__init__(validators=[text_clean], **kwargs)

    def to_python(self, value):
        return (value or "").strip()


class _ChoicesAnswer(_Answer):
    def to_python(self, value):
        return [str(v) for v in value or []]


def service_of(code: str) -> Service | None:
    """The active service with `code`, its questions loaded (from the snapshot)."""
    return catalogue_snapshot().services.get(code) if code else None


def field_name(code: str) -> str:
    return f"{PREFIX}{code}"


def question_field_of(error_field: str) -> str:
    """The form field of a DomainError's field ("attribute[size]" -> "attr__size")."""
    if error_field and error_field.startswith("attribute[") and error_field.endswith("]"):
        return field_name(error_field[len("attribute["):-1])
    return error_field


def question_field(question, words: dict | None = None) -> forms.Field:
    """The form field that asks `question` (a ServiceAttribute with `variable`),
    in the page's language where `words` (texts.selectors.words_in) has it."""
    words = words or {}
    choices = [(str(v.get("key")),
                words.get(f"values.{v.get('key')}") or v.get("name") or str(v.get("key")))
               for v in question.values or []]
    common = {"question": question, "label": words.get("description", question.description),
              "help_text": question.datatype_description}
    datatype = question.datatype
    if datatype == AttributeDatatype.SINGLE:
        widget = (forms.RadioSelect(choices=choices) if len(choices) <= 6
                  else forms.Select(choices=[("", _("Choose one")), *choices]))
        field = _TextAnswer(widget=widget, **common)
    elif datatype == AttributeDatatype.MULTI:
        field = _ChoicesAnswer(widget=forms.CheckboxSelectMultiple(choices=choices), **common)
    elif datatype == AttributeDatatype.NUMBER:
        # Text with a decimal keypad, not type=number: a browser sends nothing
        # for "1,5" in a number box, and the answer would be lost unseen.
        field = _TextAnswer(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    elif datatype == AttributeDatatype.DATETIME:
        field = _TextAnswer(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                            **common)
    elif datatype == AttributeDatatype.TEXT:
        field = _TextAnswer(widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}),
                            **common)
    else:
        field = _TextAnswer(widget=forms.TextInput(attrs={"maxlength": TEXT_MAX}), **common)
    css = _WIDGET_CLASS.get(type(field.widget), "form-control")
    field.widget.attrs["class"] = css
    if question.required:
        field.widget.attrs["aria-required"] = "true"
    return field


class QuestionsMixin:
    """For a form with a `service` field whose value is a service code.

    Adds the chosen service's questions as fields; `questions_pending` is
    true when the service changed since the form was shown (no JavaScript):
    the form is then not valid, and comes back with the new questions
    unanswered but not yet marked wrong.
    """

    service_field = "service"

    def questions_setup(self) -> None:
        code = (self.data.get(self.service_field) if self.is_bound
                else self.initial.get(self.service_field)) or ""
        self.questions_service = service_of(str(code))
        every = self.questions_service.questions if self.questions_service else ()
        questions = [q for q in every if q.variable]
        self.questions_info = [q for q in every if not q.variable]  # shown as text only
        words = words_in(questions)  # one query for them all
        for question in questions:
            self.fields[field_name(question.code)] = question_field(
                question, words.get((question._meta.label_lower, question.pk)))
        self.questions_required = any(q.required for q in questions)
        shown = self.data.get(QUESTIONS_FOR, "") if self.is_bound else ""
        self.questions_pending = bool(self.is_bound and questions and shown != code)
        self.questions_for = str(code) if self.questions_service else ""

    def is_valid(self) -> bool:
        return super().is_valid() and not self.questions_pending

    def questions_step(self) -> bool:
        """True when the person only asked to see the chosen service's questions
        (the button shown without JavaScript): the form comes back with them and
        with everything typed, and nothing is checked yet."""
        if self.is_bound and self.data.get(STEP) == "questions":
            self._errors = ErrorDict()  # unchecked, so no error is shown
            self.questions_pending = False
            return True
        return False

    @property
    def question_names(self) -> list[str]:
        return [name for name in self.fields if name.startswith(PREFIX)]

    def question_fields(self) -> list:
        return [self[name] for name in self.fields if name.startswith(PREFIX)]

    def answers(self) -> dict:
        """The answers by question code, as typed (cleaned_data needed)."""
        return {name[len(PREFIX):]: value for name, value in self.cleaned_data.items()
                if name.startswith(PREFIX) and value not in ("", [], None)}

    def questions_clean(self) -> dict:
        """Check the answers by the Open311 rule; each problem goes beside its question.

        Returns the cleaned answers. Call from clean().
        """
        if self.questions_service is None:
            return {}
        if self.questions_pending:
            return {}  # not valid (is_valid), and not yet an error: the questions say why
        cleaned, problems = attributes_problems(self.questions_service, self.answers())
        for problem in problems:
            name = question_field_of(problem.field)
            self.add_error(name if name in self.fields else None, problem.message)
        return cleaned


def answers_shown(questions, answers: dict) -> list[tuple[str, str]]:
    """(question, answer) pairs of a case's stored answers, in the service's
    order, in words: a choice by its name, not its key. An answer to a question
    the service no longer asks is shown under its code."""
    answers = answers or {}
    shown = []
    known = set()
    for question in questions:
        known.add(question.code)
        if question.code not in answers:
            continue
        names = {str(v.get("key")): v.get("name") or str(v.get("key"))
                 for v in question.values or []}
        value = answers[question.code]
        values = value if isinstance(value, list) else [value]
        words = ", ".join(names.get(str(v), _format(v)) for v in values)
        shown.append((question.description, words))
    shown.extend((code, _format(value)) for code, value in answers.items() if code not in known)
    return shown


def _format(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
