"""A translation keeps exactly its English's placeholders (pure rules)."""

from imbizo.texts.placeholders import placeholder_problems, placeholders


def test_the_three_styles_are_found():
    found = placeholders("Ref %(reference)s for {service}, see {{ link }} and {{url}}")
    assert set(found) == {"%(reference)s", "{service}", "{{ link }}", "{{ url }}"}


def test_a_faithful_translation_has_no_problem():
    assert placeholder_problems("Report {service} at {place}?",
                                "Bika i-{service} ku-{place}?") == []


def test_a_missing_placeholder_is_named():
    problems = placeholder_problems("Your reference is {reference}.", "Inombolo yakho.")
    assert len(problems) == 1 and "{reference}" in problems[0] and "leaves out" in problems[0]


def test_an_extra_placeholder_is_named():
    problems = placeholder_problems("Thank you.", "Ngiyabonga %(name)s.")
    assert len(problems) == 1 and "%(name)s" in problems[0] and "adds" in problems[0]


def test_a_placeholder_given_once_where_the_english_has_it_twice_is_missing_once():
    problems = placeholder_problems("{n} of {n}", "{n}")
    assert problems and "{n}" in problems[0]


def test_a_mistyped_placeholder_is_both_missing_and_extra():
    problems = placeholder_problems("Hello {name}", "Sawubona {nmae}")
    assert len(problems) == 2
