"""The demo's ratings and closed loop: nothing dated in the future, and a poor
answer to either survey a citizen is sent reaches a rule."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from imbizo.demo.feedback import feedback_build
from imbizo.demo.history import history_build
from imbizo.demo.municipality import demo_build
from imbizo.engagement.models import Instrument, LoopRule, Response
from imbizo.engagement.scores import Rated, loop_fires
from imbizo.engagement.services import loop_watch

# The demo's surveys come from a data migration, which transactional tests flush.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instruments")]
UNTIL = datetime.datetime(2026, 10, 30, 17, 0, tzinfo=ZoneInfo("Africa/Johannesburg"))


def test_no_demo_answer_is_dated_after_now():
    with time_machine.travel(UNTIL, tick=False):
        demo_build(seed=3)
        history_build(seed=3, cases=1500, until=UNTIL)

        rated = feedback_build(seed=3, share=1.0, until=UNTIL)

    assert rated > 100
    assert not Response.objects.filter(submitted_at__gt=UNTIL).exists()


@pytest.mark.parametrize("code", ["post-transaction", "client-service"])
def test_one_out_of_five_on_every_demo_survey_fires_a_rule_with_a_promise(code):
    demo_build(seed=3)
    instrument = Instrument.objects.filter(code=code).order_by("-version").first()
    answers = [Rated(question=q.code, type=q.type, driver=q.driver, number=1)
               for q in instrument.questions.filter(type="scale5")]

    fired = [rule for rule in LoopRule.objects.filter(active=True)
             if loop_fires(instrument=code, answers=answers, watch=loop_watch(rule))]

    assert fired and fired[0].promise
