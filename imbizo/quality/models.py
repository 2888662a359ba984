"""The service quality programme: unannounced visits, action plans, focus
groups, recognition and learning from real cases."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from imbizo.cases.models import Principle
from imbizo.core.limits import LINE_MAX, NAME_MAX, TEXT_MAX

from .action_transitions import ActionState
from .cycle import Stage, Step
from .figures import Metric
from .scoring import Direction

# --- unannounced visits ----------------------------------------------------------------


class Checklist(models.Model):
    """What a visitor looks at, as data. Items are scored from 1 to 4.

    Scores point at the items they answer, so an item in use is never
    rewritten: retire it (inactive) and add a new one instead.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("offered for new visits"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("visit checklist")
        verbose_name_plural = _("visit checklists")

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    area = models.CharField(_("area"), max_length=80,
                            help_text=_("Items of the same area are scored together."))
    text = models.CharField(_("what to look for"), max_length=300)
    guidance = models.TextField(_("what 1 and 4 look like"), blank=True)
    principle = models.CharField(_("Batho Pele principle"), max_length=20,
                                 choices=Principle.choices, blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["checklist", "order", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return f"{self.area}: {self.text}"


class VisitCycle(models.Model):
    """Baseline visit, feedback meeting, improvement plan, unannounced re-visit,
    for one office. `stage` changes only through quality.services (quality.cycle)."""

    office = models.ForeignKey("org.Office", verbose_name=_("office"), on_delete=models.PROTECT,
                               related_name="visit_cycles")
    checklist = models.ForeignKey(Checklist, verbose_name=_("checklist"),
                                  on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("stage"), max_length=12, default=Stage.BASELINE,
                             choices=[(s.value, s.value) for s in Stage])
    started_by = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started at"))
    baseline = models.ForeignKey("Visit", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    revisit = models.ForeignKey("Visit", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    feedback_on = models.DateField(_("feedback meeting held on"), null=True, blank=True)
    feedback_notes = models.TextField(_("what was said at the feedback meeting"), blank=True)
    plan_agreed_at = models.DateTimeField(_("improvement plan agreed at"), null=True, blank=True)
    revisit_after = models.DateField(
        _("re-visit not before"), null=True, blank=True,
        help_text=_("The re-visit is unannounced: only the people running the cycle see this."))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("visit cycle")
        verbose_name_plural = _("visit cycles")
        indexes = [models.Index(fields=["office", "stage"], name="cycle_office_stage")]

    def __str__(self) -> str:
        return f"{self.office} ({self.started_at:%Y-%m-%d})"

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS[Stage(self.stage)]


STAGE_LABELS = {
    Stage.BASELINE: _("Waiting for the baseline visit"),
    Stage.FEEDBACK: _("Feedback meeting to hold"),
    Stage.PLAN: _("Improvement plan to agree"),
    Stage.REVISIT: _("Unannounced re-visit due"),
    Stage.DONE: _("Re-visited"),
    Stage.CANCELLED: _("Cancelled"),
}
STEP_LABELS = {
    Step.BASELINE_VISITED: _("Baseline visit scored"),
    Step.FEEDBACK_HELD: _("Feedback meeting held"),
    Step.PLAN_AGREED: _("Improvement plan agreed"),
    Step.REVISITED: _("Unannounced re-visit scored"),
    Step.CANCELLED: _("Cycle cancelled"),
}


class CycleStep(models.Model):
    """Something that happened in a cycle. Append-only: the cycle's history."""

    cycle = models.ForeignKey(VisitCycle, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=20, choices=[(s.value, s.value) for s in Step])
    at = models.DateTimeField()
    actor = models.ForeignKey("org.Staff", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.cycle_id} {self.step}"

    @property
    def label(self) -> str:
        return STEP_LABELS[Step(self.step)]


class VisitKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline visit")
    REVISIT = "revisit", _("Unannounced re-visit")
    AS_CITIZEN = "as_citizen", _("As a citizen")


class Visit(models.Model):
    """One visit to an office, scored item by item against a checklist.

    A draft may be saved part-scored; submitting needs every item scored and
    fixes the scores.
    """

    kind = models.CharField(_("kind"), max_length=12, choices=VisitKind.choices)
    cycle = models.ForeignKey(VisitCycle, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="visits")
    office = models.ForeignKey("org.Office", verbose_name=_("office visited"),
                               on_delete=models.PROTECT, related_name="quality_visits")
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="visits")
    visitor = models.ForeignKey("org.Staff", verbose_name=_("visitor"), on_delete=models.PROTECT,
                                related_name="quality_visits")
    visited_at = models.DateTimeField(_("visited at"))
    summary = models.TextField(_("what stood out"), blank=True)
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["-visited_at"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["office", "visited_at"], name="visit_office_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.office} {self.visited_at:%Y-%m-%d}"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


class VisitScore(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score (1-4)"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "item"], name="visit_score_once"),
            models.CheckConstraint(condition=models.Q(score__isnull=True)
                                   | models.Q(score__gte=1, score__lte=4),
                                   name="visit_score_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.visit_id}/{self.item_id}: {self.score}"


class VisitPhoto(models.Model):
    """A photo taken as evidence, checked by content on upload, shown to staff only."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    file = models.FileField(upload_to="quality/%Y/%m/")
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.file.name


# --- focus groups -----------------------------------------------------------------------


class FocusGroup(models.Model):
    """A session with clients (or colleagues) about an office or a service.
    Participants are counted, never named."""

    office = models.ForeignKey("org.Office", verbose_name=_("office"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="focus_groups")
    service = models.ForeignKey("catalogue.Service", verbose_name=_("service"),
                                on_delete=models.PROTECT, null=True, blank=True,
                                related_name="focus_groups")
    topic = models.CharField(_("topic"), max_length=LINE_MAX)
    held_on = models.DateField(_("held on"))
    participants = models.PositiveSmallIntegerField(_("number of participants"))
    facilitator = models.ForeignKey("org.Staff", verbose_name=_("facilitator"),
                                    on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("focus group")
        verbose_name_plural = _("focus groups")
        constraints = [models.CheckConstraint(
            condition=models.Q(office__isnull=False) | models.Q(service__isnull=False),
            name="focus_group_about_something")]

    def __str__(self) -> str:
        return f"{self.topic} ({self.held_on})"


class FocusQuestion(models.Model):
    group = models.ForeignKey(FocusGroup, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("what the group said"), blank=True)

    class Meta:
        ordering = ["group", "order", "id"]

    def __str__(self) -> str:
        return self.text


# --- action plans -------------------------------------------------------------------------


class ActionSource(models.TextChoices):
    VISIT = "visit", _("Finding of a visit")
    COMPLAINT = "complaint", _("Root cause of complaints")
    FOLLOW_UP = "follow_up", _("Closed-loop follow-up")
    FOCUS_GROUP = "focus_group", _("Focus group")
    CLIENT_REVIEW = "client_review", _("Quarterly client review")
    OTHER = "other", _("Other")


class ActionStatus(models.TextChoices):
    OPEN = ActionState.OPEN, _("Open")
    EFFECTIVE = ActionState.EFFECTIVE, _("Closed: effective")
    NOT_EFFECTIVE = ActionState.NOT_EFFECTIVE, _("Closed: not effective")
    CANCELLED = ActionState.CANCELLED, _("Cancelled")


class Action(models.Model):
    """An owned improvement, judged on the figure it is meant to move.

    Before: the `window_days` days before the action was agreed. After: from
    the due date (the change is in place) until closing, at most `window_days`.
    The figures and both windows are frozen when the action is closed.
    """

    title = models.CharField(_("what will be done"), max_length=LINE_MAX)
    detail = models.TextField(_("detail"), blank=True)
    source = models.CharField(_("comes from"), max_length=16, choices=ActionSource.choices)
    cycle = models.ForeignKey(VisitCycle, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="actions")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="actions")
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.PROTECT,
                             null=True, blank=True, related_name="quality_actions")
    focus_group = models.ForeignKey(FocusGroup, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="actions")
    owner = models.ForeignKey("org.Staff", verbose_name=_("owner"), on_delete=models.PROTECT,
                              related_name="quality_actions")
    created_by = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("agreed at"))
    due_on = models.DateField(_("due on"))
    principle = models.CharField(_("Batho Pele principle"), max_length=20,
                                 choices=Principle.choices)
    metric = models.CharField(_("figure expected to move"), max_length=32, choices=Metric.choices)
    direction = models.CharField(_("better is"), max_length=4,
                                 choices=[(d.value, d.value) for d in Direction])
    target = models.FloatField(_("level to reach"), null=True, blank=True)
    office = models.ForeignKey("org.Office", verbose_name=_("at office"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="quality_actions")
    service = models.ForeignKey("catalogue.Service", verbose_name=_("for service"),
                                on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    ward = models.ForeignKey("geo.Ward", verbose_name=_("in ward"), on_delete=models.PROTECT,
                             null=True, blank=True, related_name="+")
    window_days = models.PositiveSmallIntegerField(_("days compared"), default=60)

    status = models.CharField(_("status"), max_length=14, choices=ActionStatus.choices,
                              default=ActionStatus.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey("org.Staff", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    closing_note = models.TextField(_("closing note"), blank=True)
    before_since = models.DateTimeField(null=True, blank=True)
    before_until = models.DateTimeField(null=True, blank=True)
    before_value = models.FloatField(null=True, blank=True)
    before_count = models.PositiveIntegerField(null=True, blank=True)
    after_since = models.DateTimeField(null=True, blank=True)
    after_until = models.DateTimeField(null=True, blank=True)
    after_value = models.FloatField(null=True, blank=True)
    after_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [
            models.Index(fields=["owner", "status"], name="action_owner_status"),
            models.Index(fields=["office", "status"], name="action_office_status"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN


class ActionEvent(models.Model):
    """One change of an action's status (quality.action_transitions): who made
    it, when, from what to what. Append-only: the action's history."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey("org.Staff", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    from_status = models.CharField(max_length=14, choices=ActionStatus.choices)
    to_status = models.CharField(max_length=14, choices=ActionStatus.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action_id} {self.from_status} -> {self.to_status} {self.at:%Y-%m-%d %H:%M}"


# --- recognition --------------------------------------------------------------------------


class Nomination(models.Model):
    """A manager recognising a staff member or a team (an office) for good service.

    It reaches the public wall only with consent: the staff member's own, or
    for a team its supervisor's.
    """

    staff = models.ForeignKey("org.Staff", verbose_name=_("staff member"),
                              on_delete=models.CASCADE, null=True, blank=True,
                              related_name="nominations")
    office = models.ForeignKey("org.Office", verbose_name=_("team"), on_delete=models.CASCADE,
                               null=True, blank=True, related_name="nominations")
    reason = models.TextField(_("why"), max_length=1000)
    evidence = models.JSONField(_("what the candidates list showed"), default=dict, blank=True)
    nominated_by = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    nominated_at = models.DateTimeField()
    public_consent = models.BooleanField(_("agreed to be shown on the public site"),
                                         default=False)
    consent_by = models.ForeignKey("org.Staff", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    consent_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-nominated_at"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [models.CheckConstraint(
            condition=(models.Q(staff__isnull=False, office__isnull=True)
                       | models.Q(staff__isnull=True, office__isnull=False)),
            name="nomination_staff_or_team")]
        indexes = [models.Index(fields=["public_consent", "nominated_at"],
                                name="nomination_public")]

    def __str__(self) -> str:
        return f"{self.staff or self.office} ({self.nominated_at:%Y-%m-%d})"


# --- learning from real cases -------------------------------------------------------------


class Strategy(models.Model):
    """A remedy a staff member may pick for a service failure, as data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")

    def __str__(self) -> str:
        return self.name


class StoryOutcome(models.TextChoices):
    SUCCESS = "success", _("Service delivery success")
    FAILURE = "failure", _("Service delivery failure")


class Story(models.Model):
    """A closed case retold without the people in it, with a supervisor's
    classification (the key) against which staff answers are scored."""

    case = models.OneToOneField("cases.Case", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="story")
    title = models.CharField(_("title"), max_length=NAME_MAX)
    text = models.TextField(_("the story"), max_length=TEXT_MAX)
    key_outcome = models.CharField(_("success or failure"), max_length=8,
                                   choices=StoryOutcome.choices)
    key_principle = models.CharField(_("principle involved"), max_length=20,
                                     choices=Principle.choices)
    key_strategy = models.ForeignKey(Strategy, verbose_name=_("strategy that would fix it"),
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    explanation = models.TextField(_("why (shown after answering)"), blank=True)
    created_by = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    def __str__(self) -> str:
        return self.title


class StoryAnswer(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="answers")
    staff = models.ForeignKey("org.Staff", on_delete=models.CASCADE, related_name="story_answers")
    outcome = models.CharField(max_length=8, choices=StoryOutcome.choices)
    principle = models.CharField(max_length=20, choices=Principle.choices)
    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    points = models.PositiveSmallIntegerField()
    out_of = models.PositiveSmallIntegerField()
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["-answered_at"]
        constraints = [models.UniqueConstraint(fields=["story", "staff"],
                                               name="story_answered_once")]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.story_id}: {self.points}/{self.out_of}"
