"""The visit cycle of an office: baseline visit, feedback meeting, improvement
plan, unannounced re-visit. Pure data and functions; services apply them.

A cycle is at one stage, which names what it waits for; a step is what
happened. The table says which step may happen at which stage and where the
cycle goes next. Cancelling is allowed until the re-visit is done.
"""

from enum import StrEnum


class Stage(StrEnum):
    BASELINE = "baseline"  # waiting for the baseline visit
    FEEDBACK = "feedback"  # baseline scored; the feedback meeting is to be held
    PLAN = "plan"  # feedback given; the improvement plan is to be agreed
    REVISIT = "revisit"  # plan agreed; the unannounced re-visit is due
    DONE = "done"  # re-visited: baseline and re-visit can be compared
    CANCELLED = "cancelled"


class Step(StrEnum):
    BASELINE_VISITED = "baseline_visited"
    FEEDBACK_HELD = "feedback_held"
    PLAN_AGREED = "plan_agreed"
    REVISITED = "revisited"
    CANCELLED = "cancelled"


OPEN_STAGES = frozenset({Stage.BASELINE, Stage.FEEDBACK, Stage.PLAN, Stage.REVISIT})

# (stage, step) -> next stage
NEXT: dict[tuple[Stage, Step], Stage] = {
    (Stage.BASELINE, Step.BASELINE_VISITED): Stage.FEEDBACK,
    (Stage.FEEDBACK, Step.FEEDBACK_HELD): Stage.PLAN,
    (Stage.PLAN, Step.PLAN_AGREED): Stage.REVISIT,
    (Stage.REVISIT, Step.REVISITED): Stage.DONE,
    **{(stage, Step.CANCELLED): Stage.CANCELLED for stage in OPEN_STAGES},
}

# The stages at which the improvement plan is drawn up: from the baseline's
# scores to the agreed plan, the pages offer to add actions to it.
PLANNING_STAGES = frozenset({Stage.FEEDBACK, Stage.PLAN})

# Which visit a stage waits for, if any.
VISIT_FOR_STAGE: dict[Stage, str] = {Stage.BASELINE: "baseline", Stage.REVISIT: "revisit"}


def advance(stage: Stage, step: Step) -> Stage:
    """The stage after `step`, or ValueError when the cycle does not allow it now."""
    try:
        return NEXT[(Stage(stage), Step(step))]
    except KeyError:
        raise ValueError(f"A cycle at {stage} cannot take the step {step}.") from None


def steps_allowed(stage: Stage) -> frozenset[Step]:
    return frozenset(step for (source, step) in NEXT if source == stage)


def plan_open(stage: Stage) -> bool:
    """Whether actions are being added to the cycle's plan at `stage`."""
    return Stage(stage) in PLANNING_STAGES
