"""The province's set-based load: cases, their events, contacts, survey
responses and answers, each one INSERT ... SELECT over generate_series (or
over the cases already written) joined to the lookup tables of
province_plan. No row passes through Python.

The rules are the demo history's (imbizo.demo.history), written as SQL:
a case is resolved in time with its service's chance that month (less at the
slow office in its bad months), acknowledged mostly within the pledge,
breached and escalated up the ladder when late, closed a few days after it
is resolved; cases still open at the end carry their pending clocks.
"""

import json

from django.db import connection

from imbizo.cases.intake import STAFF_TYPED_CHANNELS
from imbizo.cases.models import Case, EscalationStep

from .feedback import COMMENTS
from .history import CHANNELS, KINDS
from .names import STREETS
from .province_plan import PHRASINGS_PER_SERVICE, Plan

PRIORITIES = (("low", 10), ("normal", 75), ("high", 12), ("urgent", 3))
OUTCOMES = ("not_fixed", "referred", "withdrawn")
ROOT_CAUSES = ("Old infrastructure", "Storm damage", "Vandalism", "Wear and tear",
               "Third-party contractor")
RATED_SHARE = 300  # per mille of resolved cases whose citizens agreed to be asked
SYSTEM_OUTCOMES = ("updated", "resolved", "overdue")


def _weighted_case(column: str, choices, draw: str) -> str:
    """CASE over cumulative weights: `draw` (0..1) picks one of `choices`. `draw`
    must be a column drawn once: random() in each WHEN would draw again."""
    total = sum(w for _, w in choices)
    parts, running = [], 0
    for value, weight in choices[:-1]:
        running += weight
        parts.append(f"WHEN {draw} < {running / total!r} THEN '{value}'")
    return f"CASE {' '.join(parts)} ELSE '{choices[-1][0]}' END AS {column}"


def _params(plan: Plan) -> dict:
    return {"start": plan.start, "until": plan.until, "ward_pick": plan.ward_pick,
            "service_pick": plan.service_pick, "summer_day_pick": plan.summer_day_pick,
            "day_pick": plan.day_pick, "hour_pick": plan.hour_pick,
            "citizens": plan.citizens, "streets": list(STREETS),
            "root_causes": list(ROOT_CAUSES), "outcomes": list(OUTCOMES)}


def _escalation_sql(plan: Plan) -> tuple[str, str, str]:
    """Per ladder step: a join to its due instant, the level reached, the next step due."""
    joins = "\n".join(
        f"LEFT JOIN province_pv_esc e{level} ON e{level}.level = {level} "
        f"AND e{level}.slot = floor(extract(epoch FROM c.resolve_due - %(start)s) / 3600)::int"
        for level, _hours in plan.ladder)
    reached = " ".join(
        f"WHEN e{level}.due + (c.resolve_due - date_trunc('hour', c.resolve_due)) < c.stop "
        f"THEN {level}" for level, _hours in reversed(plan.ladder))
    level_sql = f"CASE {reached} ELSE 1 END" if plan.ladder else "1"
    pending = " ".join(
        f"WHEN NOT (e{level}.due + (c.resolve_due - date_trunc('hour', c.resolve_due)) < c.stop) "
        f"THEN e{level}.due + (c.resolve_due - date_trunc('hour', c.resolve_due))"
        for level, _hours in plan.ladder)
    next_sql = f"CASE {pending} END" if plan.ladder else "NULL::timestamptz"
    return joins, level_sql, next_sql


def cases_insert(plan: Plan, first: int, last: int) -> int:
    """Write cases with ids first..last; return how many."""
    joins, level_sql, next_sql = _escalation_sql(plan)
    # Built from constants and the plan (numbers), never from input.
    sql = f"""
    -- Each stage ends in OFFSET 0 so PostgreSQL computes its columns once per row
    -- instead of inlining (and re-evaluating) the expressions at every use. The
    -- draws are a subquery, not a CTE: a CTE with random() would be stored whole.
    WITH timed AS (
        SELECT d.*, s.summer,
               {_weighted_case('kind', KINDS, 'd.r_kind')},
               {_weighted_case('channel', CHANNELS, 'd.r_channel')},
               {_weighted_case('priority', PRIORITIES, 'd.r_priority')},
               least(%(start)s::timestamptz
                     + make_interval(days => CASE WHEN s.summer
                         THEN (%(summer_day_pick)s::int[])[
                             1 + floor(d.r_day * {len(plan.summer_day_pick)})::int]
                         ELSE (%(day_pick)s::int[])[1 + floor(d.r_day * {len(plan.day_pick)})::int] END,
                         hours => (%(hour_pick)s::int[])[1 + floor(d.r_hour * {len(plan.hour_pick)})::int],
                         secs => floor(d.r_second * 3600)),
                     %(until)s::timestamptz - make_interval(mins => 1 + floor(d.r_second * 599)::int))
                   AS opened
        FROM (
            SELECT n AS id, w.ward_id, w.region_pos, w.lat, w.lon,
                   (%(service_pick)s::int[])[w.region_pos][
                       1 + floor(random() * {len(plan.service_pick[0])})::int] AS service_id,
                   random() AS r_day, random() AS r_hour, random() AS r_second,
                   random() AS r_kind, random() AS r_channel, random() AS r_priority,
                   random() AS r_anon, random() AS r_consent, random() AS r_email,
                   floor(random() * %(citizens)s)::int AS citizen,
                   random() AS r_on_time, random() AS r_share, random() AS r_ack,
                   random() AS r_ack_late, random() AS r_assignee, random() AS r_outcome,
                   random() AS r_closed, random() AS r_words, random() AS r_street
            FROM (SELECT n, (%(ward_pick)s::int[])[1 + floor(random() * {len(plan.ward_pick)})::int]
                            AS ward_pos
                  FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS n) AS g
            JOIN province_pv_ward w ON w.pos = g.ward_pos
            OFFSET 0
        ) AS d JOIN province_pv_service s USING (service_id)
        OFFSET 0
    ), placed AS (
        SELECT t.*, floor(extract(epoch FROM t.opened - %(start)s) / 3600)::int AS slot,
               floor(extract(epoch FROM t.opened - %(start)s) / 86400)::int AS day
        FROM timed t
        OFFSET 0
    ), clocked AS (
        SELECT p.*, st.standard_id, st.chance, r.office_id, o.auto_assign, o.auto_ack,
               o.slow AND extract(month FROM p.opened AT TIME ZONE 'Africa/Johannesburg')
                   IN (5, 6, 7) AS bad_patch,
               pr.ack_calendar, pr.update_key,
               da.due + CASE WHEN da.shift THEN p.opened - date_trunc('hour', p.opened)
                             ELSE interval '0' END AS ack_due,
               dr.due + CASE WHEN dr.shift THEN p.opened - date_trunc('hour', p.opened)
                             ELSE interval '0' END AS resolve_due,
               dr.warn AS resolve_warn,
               du.due + CASE WHEN du.shift THEN p.opened - date_trunc('hour', p.opened)
                             ELSE interval '0' END AS update_due,
               of.staff_id AS assignee_id
        FROM placed p
        JOIN province_pv_std st ON st.service_id = p.service_id AND st.day = p.day
        JOIN province_pv_promise pr ON pr.standard_id = st.standard_id
                                   AND pr.priority = p.priority
        JOIN province_pv_due da ON da.key = pr.ack_key AND da.slot = p.slot
        JOIN province_pv_due dr ON dr.key = pr.resolve_key AND dr.slot = p.slot
        JOIN province_pv_due du ON du.key = pr.update_key AND du.slot = p.slot
        LEFT JOIN province_pv_route r ON r.service_id = p.service_id AND r.ward_id = p.ward_id
        LEFT JOIN province_pv_office o ON o.office_id = r.office_id
        LEFT JOIN province_pv_officer of ON of.office_id = r.office_id
                                        AND of.k = floor(p.r_assignee * o.officers)::int
        OFFSET 0
    ), worked AS (
        SELECT c.*, c.opened + greatest(c.resolve_due - c.opened, interval '1 hour')
                   * CASE WHEN c.r_on_time < c.chance - CASE WHEN c.bad_patch THEN 0.3 ELSE 0 END
                          THEN 0.15 + 0.8 * c.r_share ELSE 1.05 + 2.45 * c.r_share END
                   AS resolved,
               coalesce(c.auto_assign, false) AND c.assignee_id IS NOT NULL AS automatic
        FROM clocked c
        OFFSET 0
    ), acked AS (
        SELECT w.*, least(w.resolved, CASE
                   WHEN w.ack_calendar THEN w.opened + make_interval(secs => 60 * (5 + w.r_ack * 120))
                   ELSE w.opened + (w.ack_due - w.opened)
                        * CASE WHEN w.r_ack_late < 0.85 THEN 0.05 + 0.9 * w.r_ack
                               ELSE 1.05 + w.r_ack END END) AS ack
        FROM worked w
        OFFSET 0
    ), ended AS (
        SELECT a.*, a.assignee_id IS NOT NULL AND a.ack < %(until)s AS acknowledged,
               least(a.resolved, %(until)s::timestamptz) AS stop,
               a.resolved < %(until)s AS done,
               a.resolved + make_interval(secs => 86400 * (1 + 5 * a.r_closed)) AS closed
        FROM acked a
        OFFSET 0
    )
    INSERT INTO cases_case ({{columns}})
    SELECT c.id,
           {_reference_sql('(c.id * 2654435761) %% 27512614111')},
           c.kind, c.channel, c.service_id, c.ward_id,
           wd.description, wd.principles,
           CASE WHEN c.channel IN ({{staff_typed}}) THEN '' ELSE wd.description END,
           (1 + floor(c.r_street * 400))::int || ' '
               || (%(streets)s::text[])[1 + floor(c.r_words * {len(STREETS)})::int],
           c.lat + (c.r_share - 0.5) * 0.008, c.lon + (c.r_ack - 0.5) * 0.008,
           CASE WHEN c.r_anon < 0.12 THEN '' ELSE z.name END,
           CASE WHEN c.r_anon < 0.12 THEN '' ELSE z.phone END,
           CASE WHEN c.r_anon < 0.12 THEN '' ELSE z.email END,
           c.r_anon >= 0.12 AND c.r_consent < 0.7, c.r_anon < 0.12,
           c.office_id, c.opened, c.standard_id, c.priority,
           c.ack_due, c.resolve_due, c.resolve_warn,
           CASE WHEN NOT c.done AND c.acknowledged THEN u2.due + CASE WHEN u2.shift
                     THEN (%(until)s::timestamptz - interval '6 hours')
                          - date_trunc('hour', %(until)s::timestamptz - interval '6 hours')
                     ELSE interval '0' END
                ELSE c.update_due END,
           coalesce(c.auto_ack, false),
           CASE WHEN c.automatic THEN c.opened WHEN c.acknowledged THEN c.ack END,
           CASE WHEN c.automatic OR c.acknowledged THEN c.assignee_id END,
           CASE WHEN c.acknowledged THEN c.ack END,
           CASE WHEN c.ack_due < CASE WHEN c.assignee_id IS NOT NULL
                                      THEN least(c.ack, %(until)s) ELSE %(until)s END
                THEN c.ack_due END,
           CASE WHEN c.resolve_due < c.stop THEN c.resolve_due END,
           CASE WHEN c.resolve_due < c.stop THEN c.resolve_warn END,
           CASE WHEN c.resolve_due < c.stop THEN {level_sql} ELSE 0 END,
           CASE WHEN c.resolve_due < c.stop AND NOT c.done THEN {next_sql} END,
           CASE WHEN c.done AND c.closed < %(until)s THEN 'closed'
                WHEN c.done THEN 'resolved'
                WHEN c.automatic OR c.acknowledged THEN 'assigned' ELSE 'received' END,
           CASE WHEN c.done THEN c.resolved END,
           CASE WHEN c.done AND c.closed < %(until)s THEN c.closed END,
           CASE WHEN NOT c.done THEN ''
                WHEN c.r_outcome < 0.88 THEN 'fixed'
                ELSE (%(outcomes)s::text[])[1 + floor((c.r_outcome - 0.88) / 0.12 * 3)::int] END,
           CASE WHEN NOT c.done THEN '' ELSE
                (%(root_causes)s::text[])[1 + floor(c.r_closed * 5)::int] END,
           CASE WHEN NOT c.done AND c.acknowledged
                THEN %(until)s::timestamptz - interval '6 hours' END,
           CASE WHEN c.done THEN NULL ELSE least(
                CASE WHEN NOT c.acknowledged AND NOT (c.ack_due < %(until)s) THEN c.ack_due END,
                CASE WHEN c.acknowledged THEN u2.due ELSE c.update_due END,
                CASE WHEN NOT (c.resolve_due < c.stop) THEN c.resolve_warn END,
                CASE WHEN NOT (c.resolve_due < c.stop) THEN c.resolve_due END,
                CASE WHEN c.resolve_due < c.stop THEN {next_sql} END) END,
           {{defaults}}
    FROM ended c
    JOIN province_pv_citizen z ON z.k = c.citizen
    JOIN province_pv_words wd ON wd.service_id = c.service_id
                             AND wd.k = floor(c.r_words * {PHRASINGS_PER_SERVICE})::int
    LEFT JOIN province_pv_due u2 ON u2.key = c.update_key
         AND u2.slot = floor(extract(epoch FROM %(until)s::timestamptz - interval '6 hours'
                                     - %(start)s) / 3600)::int
    {joins}
    """  # noqa: S608
    return _insert_cases(sql, plan, first, last)


def _reference_sql(number: str) -> str:
    """The case reference of `number` (0 <= number < 31**7), as cases.reference
    writes it: seven base-31 symbols, a weighted check symbol, a dash after four."""
    digits = [f"(({number}) / {31 ** (6 - i)}) %% 31" for i in range(7)]
    symbol = "substr('0123456789ABCDEFGHJKMNPQRSTVWXY', ({d})::int + 1, 1)"
    data = [symbol.format(d=d) for d in digits]
    check = " + ".join(f"{w} * ({d})" for w, d in enumerate(digits, start=1))
    return (f"{data[0]} || {data[1]} || {data[2]} || {data[3]} || '-' || {data[4]} || "
            f"{data[5]} || {data[6]} || {symbol.format(d=f'({check}) %% 31')}")


# The columns the SELECT above writes, in order; every other column of the
# table takes its model default (see _insert_cases).
CASE_COLUMNS = (
    "id", "reference", "kind", "channel", "service_id", "ward_id", "description", "principles",
    "public_description", "address", "lat", "lon", "citizen_name", "citizen_phone",
    "citizen_email", "contact_consent", "anonymous", "office_id", "opened_at", "standard_id",
    "priority", "ack_due_at", "resolve_due_at", "resolve_warn_at", "update_due_at",
    "acknowledged_by_system", "assigned_at", "assignee_id", "acknowledged_at",
    "ack_breached_at", "resolve_breached_at", "resolve_warned_at", "escalation_level",
    "escalate_next_at", "status", "resolved_at", "closed_at", "outcome", "root_cause",
    "last_public_update_at", "next_check_at",
)


def _defaults(model, given) -> tuple[list[str], list]:
    """Columns of `model` not in `given`, and their model defaults (SQL params)."""
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.column in given:
            continue
        value = field.get_default()
        if hasattr(field, "auto_now") and (field.auto_now or field.auto_now_add):
            value = None
        columns.append(field.column)
        if field.get_internal_type() == "JSONField":
            values.append(json.dumps(value))
        else:
            values.append(value)
    return columns, values


def _insert_cases(sql: str, plan: Plan, first: int, last: int) -> int:
    extra, values = _defaults(Case, CASE_COLUMNS)
    placeholders = []
    params = {**_params(plan), "first": first, "last": last}
    for i, (column, value) in enumerate(zip(extra, values, strict=True)):
        if column == "updated_at":
            placeholders.append("%(until)s::timestamptz")
            continue
        params[f"d{i}"] = value
        field_type = Case._meta.get_field(_field_name(Case, column)).get_internal_type()
        placeholders.append(f"%(d{i})s::jsonb" if field_type == "JSONField" else f"%(d{i})s")
    staff_typed = ", ".join(f"'{c}'" for c in sorted(STAFF_TYPED_CHANNELS))
    sql = sql.replace("{columns}", ", ".join(CASE_COLUMNS + tuple(extra)))
    sql = sql.replace("{staff_typed}", staff_typed).replace("{defaults}", ", ".join(placeholders))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _field_name(model, column: str) -> str:
    return next(f.name for f in model._meta.concrete_fields if f.column == column)


def events_insert(plan: Plan, first: int, last: int) -> int:
    """The events each case's story implies, for cases first..last."""
    steps = "\n".join(
        f"""(CASE WHEN c.escalation_level >= {level}
              THEN e{level}.due + (c.resolve_due_at - date_trunc('hour', c.resolve_due_at)) END,
             'escalated', NULL::int, '', '', false,
             jsonb_build_object('level', {level}, 'step', {step_name!r})),"""
        for level, step_name in _step_names(plan))
    esc_joins = "\n".join(
        f"LEFT JOIN province_pv_esc e{level} ON e{level}.level = {level} AND e{level}.slot = "
        f"floor(extract(epoch FROM c.resolve_due_at - %(start)s) / 3600)::int"
        for level, _hours in plan.ladder)
    # Built from constants and the plan (numbers), never from input.
    sql = f"""
    INSERT INTO cases_caseevent (case_id, kind, at, actor_id, from_status, to_status,
                                 public, details, note)
    SELECT c.id, e.kind, e.at, e.actor_id, e.from_status, e.to_status, e.public,
           e.details, ''
    FROM cases_case c
    LEFT JOIN org_office o ON o.id = c.office_id
    {esc_joins}
    CROSS JOIN LATERAL (VALUES
        (c.opened_at, 'opened', NULL::int, '', 'received', true,
         jsonb_build_object('channel', c.channel)),
        (CASE WHEN c.acknowledged_by_system THEN c.opened_at END, 'acknowledged', NULL, '', '',
         true, '{{"automatic": true}}'::jsonb),
        (CASE WHEN o.auto_assign AND c.assigned_at = c.opened_at THEN c.opened_at END,
         'assigned', NULL, 'received', 'assigned', false,
         jsonb_build_object('office', o.code, 'automatic', true)),
        (c.acknowledged_at, 'acknowledged', c.assignee_id,
         CASE WHEN o.auto_assign AND c.assigned_at = c.opened_at THEN '' ELSE 'received' END,
         CASE WHEN o.auto_assign AND c.assigned_at = c.opened_at THEN '' ELSE 'acknowledged' END,
         true, '{{"how": "acknowledged"}}'::jsonb),
        (CASE WHEN NOT (o.auto_assign AND c.assigned_at = c.opened_at) THEN c.acknowledged_at END,
         'assigned', c.assignee_id, 'acknowledged', 'assigned', false, '{{}}'::jsonb),
        (c.resolve_breached_at, 'breached', NULL, '', '', true,
         jsonb_build_object('due', to_char(c.resolve_breached_at AT TIME ZONE 'UTC',
                                           'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'))),
        {steps}
        (c.resolved_at, 'status', c.assignee_id,
         CASE WHEN c.assigned_at IS NOT NULL THEN 'assigned' ELSE 'received' END, 'resolved',
         true, jsonb_build_object('outcome', c.outcome)),
        (c.closed_at, 'status', NULL, 'resolved', 'closed', false, '{{}}'::jsonb)
    ) AS e (at, kind, actor_id, from_status, to_status, public, details)
    WHERE c.id BETWEEN %(first)s AND %(last)s AND e.at IS NOT NULL
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, {"start": plan.start, "first": first, "last": last})
        return cursor.rowcount


def _step_names(plan: Plan) -> list[tuple[int, str]]:
    names = dict(EscalationStep.objects.values_list("level", "name"))
    return [(level, names[level].replace("'", "")) for level, _hours in plan.ladder]


def ratings_insert(plan: Plan, instrument_id: int) -> tuple[int, int, int]:
    """Person contacts, survey responses and answers for RATED_SHARE of the resolved
    cases whose citizens agreed to be contacted; returns the three counts."""
    rated = f"""FROM cases_case c
        JOIN province_pv_citizen z ON z.phone = c.citizen_phone
        WHERE c.resolved_at IS NOT NULL AND c.contact_consent
          AND (c.id * 2654435761) %% 1000 < {RATED_SHARE}"""
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO engagement_contact (at, kind, channel, office_id, staff_id, case_id,
                citizen_key, wait_seconds, handling_seconds, outcome, notes, language)
            SELECT c.resolved_at - make_interval(secs => 3600 + random() * 47 * 3600),
                   'person', c.channel, c.office_id, c.assignee_id, c.id, z.key,
                   floor(random() * 3600)::int, 60 + floor(random() * 1140)::int,
                   'Resolved', '', ''
            {rated}""", {})
        contacts = cursor.rowcount
        cursor.execute(f"""
            INSERT INTO engagement_response (instrument_id, case_id, office_id, staff_id,
                channel, citizen_key, submitted_at, follow_up_held)
            SELECT %(instrument)s, c.id, c.office_id, c.assignee_id, c.channel, z.key,
                   c.resolved_at + make_interval(secs => 7200 + random() * 94 * 3600), false
            {rated} AND c.resolved_at + interval '96 hours' < %(until)s""",
                       {"instrument": instrument_id, "until": plan.until})
        responses = cursor.rowcount
        cursor.execute("""
            INSERT INTO engagement_answer (response_id, question_id, driver, number, text)
            SELECT r.id, q.id, q.driver,
                   CASE WHEN q.type = 'scale5' THEN greatest(1, least(5, round(
                       coalesce(o.quality, 3.8)
                       - CASE WHEN c.resolve_breached_at IS NOT NULL THEN 0.9 ELSE 0 END
                       - CASE WHEN o.slow AND extract(month FROM c.resolved_at
                                  AT TIME ZONE 'Africa/Johannesburg') IN (5, 6, 7)
                              THEN 1.2 ELSE 0 END
                       + 0.8 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))))
                   END,
                   CASE WHEN q.type = 'scale5' THEN ''
                        ELSE (%(comments)s::text[])[1 + floor(random() * %(n)s)::int] END
            FROM engagement_response r
            JOIN cases_case c ON c.id = r.case_id
            LEFT JOIN province_pv_office o ON o.office_id = r.office_id
            JOIN engagement_question q ON q.instrument_id = r.instrument_id
            WHERE r.instrument_id = %(instrument)s
              -- A hash of the pair, not random(): PostgreSQL would push random() down
              -- to the questions' scan and draw once per question, not per answer.
              -- The pair is taken below 2**31 first: times 2654435761 it stays in a
              -- bigint (a full province has some two million responses).
              AND (q.type = 'scale5'
                   OR ((r.id * 7919 + q.id) %% 2147483648) * 2654435761 %% 1000 < 150)""",
                       {"instrument": instrument_id, "comments": _comments(),
                        "n": len(_comments())})
        answers = cursor.rowcount
    return contacts, responses, answers


def _comments() -> list[str]:
    return [text for texts in COMMENTS.values() for text in texts]


def system_contacts_insert(plan: Plan, count: int, first: int, last: int) -> int:
    """`count` system contacts (messages about cases) spread over cases first..last:
    each case gets count // cases, the first count % cases one more."""
    cases = last - first + 1
    if count <= 0 or cases <= 0:
        return 0
    base, extra = divmod(count, cases)
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO engagement_contact (at, kind, channel, office_id, case_id, citizen_key,
                                            outcome, notes, language)
            SELECT least(c.opened_at + (coalesce(c.closed_at, c.resolved_at, %(until)s)
                                         - c.opened_at) * (g - 1 + random()) / (n + 0),
                         %(until)s::timestamptz),
                   'system', CASE WHEN random() < 0.7 THEN 'sms' ELSE 'email' END,
                   c.office_id, c.id, '',
                   CASE WHEN g = 1 THEN 'received'
                        ELSE (%(outcomes)s::text[])[1 + floor(random() * 3)::int] END, '', ''
            FROM cases_case c
            CROSS JOIN LATERAL (SELECT %(base)s + CASE WHEN c.id - %(first)s < %(extra)s
                                                       THEN 1 ELSE 0 END AS n) AS k
            CROSS JOIN LATERAL generate_series(1, k.n) AS g
            WHERE c.id BETWEEN %(first)s AND %(last)s""",
                       {"until": plan.until, "outcomes": list(SYSTEM_OUTCOMES), "base": base,
                        "extra": extra, "first": first, "last": last})
        return cursor.rowcount
