"""Running triage: the command, the weekly task on its own queue, the worker's
queues, and the administrators' page."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from imbizo.core.periodic import periodic_tasks
from imbizo.org.models import Role
from imbizo.server.management.commands import worker
from imbizo.triage import tasks
from imbizo.triage.model_models import ModelVersion
from imbizo.triage.training import model_train
from tests.factories import StaffFactory, UserFactory
from tests.triage.conftest import examples


def test_the_weekly_training_runs_on_a_queue_of_its_own():
    assert tasks.triage_train_weekly.queue_name == "triage"
    assert periodic_tasks()[tasks.triage_train_weekly.module_path].task is tasks.triage_train_weekly
    # The usual worker leaves that queue to a worker of its own, which `imbizo run` starts.
    assert "triage" in worker.LONG_QUEUES
    from imbizo.server.management.commands import run

    assert '"--queue", "triage"' in Path(run.__file__).read_text(encoding="utf-8")


def test_the_usual_worker_excludes_the_triage_queue_and_the_trainer_serves_only_it(monkeypatch):
    made = []

    class FakeWorker:
        running = False

        def __init__(self, **kwargs):
            made.append(kwargs)

        def configure_signals(self):
            pass

        def run(self):
            pass

    monkeypatch.setattr(worker, "Worker", FakeWorker)
    monkeypatch.setattr(worker.Ticker, "start", lambda self: None)
    monkeypatch.setattr(worker.Ticker, "join", lambda self, timeout=None: None)
    monkeypatch.setattr(worker, "heartbeat_forget", lambda **kw: None)
    call_command("worker", stdout=StringIO())
    call_command("worker", "--queue", "triage", stdout=StringIO())

    assert made[0]["queue_names"] == ["*"] and made[0]["excluded_queue_names"] == ["triage"]
    assert made[1]["queue_names"] == ["triage"] and made[1]["excluded_queue_names"] == []


def test_the_weekly_task_trains_when_a_week_has_passed(services, monkeypatch):
    monkeypatch.setattr(tasks, "model_train", lambda **kw: model_train(
        examples=examples(), trained_by=kw["trained_by"]))
    first = tasks.triage_train_weekly.call()
    assert first["trained"] and first["promoted"]
    assert tasks.triage_train_weekly.call() == {"trained": False,
                                               "reason": "trained less than a week ago"}
    ModelVersion.objects.update(trained_at=ModelVersion.objects.get().trained_at
                                - datetime.timedelta(days=8))
    assert tasks.triage_train_weekly.call()["trained"]
    assert ModelVersion.objects.filter(trained_by="weekly").count() == 2


def test_the_weekly_task_with_too_few_cases_says_so(db):
    assert tasks.triage_train_weekly.call() == {"trained": False, "reason": "too_few_cases"}


def test_the_command_trains_and_lists_versions(services):
    out = StringIO()
    with pytest.raises(CommandError, match="Too few closed cases"):
        call_command("triage", "train", stdout=out)
    call_command("triage", "status", stdout=out)
    assert "No model has been trained yet." in out.getvalue()
    row = model_train(examples=examples())
    out = StringIO()
    call_command("triage", "status", stdout=out)
    assert f"* {row.version}" in out.getvalue()


def test_the_command_evaluates_the_model_in_use_on_a_file(services, tmp_path):
    model_train(examples=examples())
    path = tmp_path / "few.csv"
    path.write_text("description,service\nburst pipe water everywhere,water-leak\n"
                    "no lights in the whole street,power-outage\n", encoding="utf-8")
    out = StringIO()
    call_command("triage", "evaluate", str(path), stdout=out)
    assert "on 2 descriptions: accuracy 1.000" in out.getvalue()
    with pytest.raises(CommandError, match="No such file"):
        call_command("triage", "evaluate", str(tmp_path / "missing.csv"))


def _admin(world):
    return StaffFactory(office=world.office, role=Role.ADMINISTRATOR,
                        user=UserFactory(username="the-admin", is_staff=True))


def test_administrators_see_each_version_and_why_one_was_not_promoted(
        client, services, world, monkeypatch, django_assert_max_num_queries):
    from imbizo.triage import training

    first = model_train(examples=examples())
    fit = training._fit

    def crippled(train, timings=None):
        arrays = fit(train, timings)
        arrays["weights"] = arrays["weights"] * 0
        return arrays

    monkeypatch.setattr(training, "_fit", crippled)
    worse = model_train(examples=examples(seed=4))
    client.force_login(_admin(world).user)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("backoffice:triage_models"))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"In use:</strong> {first.version}" in page
    assert worse.version in page and "not promoted" in page
    assert "Not promoted: macro F1" in page
    assert services["pothole"].name in page  # per-service figures of the version in use
    response = client.get(reverse("backoffice:triage_models"), {"version": worse.version})
    assert f"How {worse.version} does per service" in response.content.decode()


def test_the_page_says_when_no_model_was_trained(client, world):
    client.force_login(_admin(world).user)
    response = client.get(reverse("backoffice:triage_models"))
    assert 'id="no-model"' in response.content.decode()


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR, Role.MANAGER, Role.AGENT,
                                  Role.ANALYST, Role.AUDITOR])
def test_other_staff_are_refused(client, world, role):
    client.force_login(StaffFactory(office=world.office, role=role).user)
    assert client.get(reverse("backoffice:triage_models")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(reverse("backoffice:triage_models"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_near_perfect_held_back_score_is_flagged_as_likely_repetition(client, services, world):
    from imbizo.triage.model_models import ModelVersion

    model = model_train(examples=examples())
    client.force_login(_admin(world).user)
    ModelVersion.objects.filter(pk=model.pk).update(macro_f1=0.995)
    assert 'id="too-good"' in client.get(reverse("backoffice:triage_models")).content.decode()
    ModelVersion.objects.filter(pk=model.pk).update(macro_f1=0.81)
    assert 'id="too-good"' not in client.get(reverse("backoffice:triage_models")).content.decode()
