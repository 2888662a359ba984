"""A service's questions as form fields, and stored answers in words."""

from types import SimpleNamespace

from django import forms

from imbizo.web.questions import answers_shown, question_field, question_field_of


def question(code, datatype, values=(), required=False, description="Q?"):
    return SimpleNamespace(code=code, datatype=datatype, required=required,
                           description=description, datatype_description="",
                           values=[{"key": k, "name": n} for k, n in values])


def test_each_datatype_gets_the_widget_a_person_expects():
    few = [("a", "A"), ("b", "B")]
    many = [(str(n), f"Choice {n}") for n in range(8)]

    widgets = {datatype: type(question_field(question("q", datatype, values)).widget)
               for datatype, values in (("singlevaluelist", few), ("multivaluelist", few),
                                        ("number", ()), ("datetime", ()), ("text", ()),
                                        ("string", ()))}

    assert widgets == {"singlevaluelist": forms.RadioSelect,
                       "multivaluelist": forms.CheckboxSelectMultiple,
                       "number": forms.TextInput, "datetime": forms.DateTimeInput,
                       "text": forms.Textarea, "string": forms.TextInput}
    assert isinstance(question_field(question("q", "singlevaluelist", many)).widget,
                      forms.Select)


def test_a_required_question_is_marked_but_left_to_the_open311_rule():
    field = question_field(question("size", "string", required=True))

    assert field.asks_required and not field.required
    assert field.widget.attrs["aria-required"] == "true"


def test_stored_answers_read_as_the_questions_words_and_choice_names():
    questions = [question("size", "singlevaluelist", [("large", "Larger than a tyre")],
                          description="How big?"),
                 question("who", "multivaluelist", [("cars", "Cars"), ("people", "People")],
                          description="Who is affected?"),
                 question("depth", "number", description="How deep?")]

    shown = answers_shown(questions, {"size": "large", "who": ["cars", "people"],
                                      "depth": 15.0, "old": "kept"})

    assert shown == [("How big?", "Larger than a tyre"), ("Who is affected?", "Cars, People"),
                     ("How deep?", "15"), ("old", "kept")]


def test_an_open311_error_field_names_the_form_field():
    assert question_field_of("attribute[size]") == "attr__size"
    assert question_field_of("description") == "description"
