"""The scorecard's summary, trends, sort and search (pure rules), and the
public pages that use them: the summary-first scorecard and a service's page."""

import datetime

import pytest
from django.urls import reverse

from imbizo.insights.reports import Score, ServiceInfo, ServiceScore
from imbizo.insights.standing import (
    Trend,
    rows_matching,
    rows_sorted,
    sort_parse,
    summary_of,
    trend_of,
)
from tests.insights.conftest import END, at


def score(share, cases=40, target=80.0):
    """A service's score: `share` of `cases` resolved in time (None: nothing resolved)."""
    if share is None:
        return Score(resolved=0, ack_share=None, ack_cases=0, resolve_share=None,
                     resolve_cases=0, target=target)
    return Score(resolved=cases, ack_share=0.9, ack_cases=cases, resolve_share=share,
                 resolve_cases=cases, target=target)


def row(code, share, *, group="Water", cases=40, months=()):
    return ServiceScore(ServiceInfo(1, code, code.replace("-", " ").title(), group),
                        score(share, cases), list(months))


def months(*shares, cases=20):
    start = datetime.date(2025, 1, 1)
    return [(start.replace(month=n + 1), score(s, cases)) for n, s in enumerate(shares)]


def test_a_trend_compares_the_first_three_months_with_the_last_three():
    assert trend_of(months(.5, .5, .5, .6, .7, .7)) == Trend.IMPROVING
    assert trend_of(months(.9, .9, .9, .85, .75, .75)) == Trend.WORSENING
    assert trend_of(months(.8, .82, .8, .81, .79, .8)) == Trend.STEADY
    assert trend_of(months(.5, .9)) == Trend.UNKNOWN  # too few months
    assert trend_of(months(.5, .5, .5, .9, .9, .9, cases=2)) == Trend.UNKNOWN  # too few cases


def test_the_summary_counts_kept_and_missed_and_names_the_five_furthest_below():
    rows = [row("a", .95), row("b", .50), row("c", .70), row("d", .85), row("e", .79),
            row("f", .60), row("g", .99), row("h", .90, cases=5)]  # h: too few to judge

    summary = summary_of(rows, {"a": Trend.IMPROVING, "b": Trend.STEADY})

    assert (summary.kept, summary.missed, summary.unjudged, summary.improving) == (3, 4, 1, 1)
    assert [r.service.code for r in summary.worst] == ["b", "f", "c", "e", "d"]


def test_the_table_sorts_by_any_column_either_way_with_blanks_last():
    rows = [row("a", .95, group="Roads"), row("b", .50), row("c", None, cases=0)]

    by_share = rows_sorted(rows, {}, column="share", descending=False)
    by_share_down = rows_sorted(rows, {}, column="share", descending=True)

    assert [r.service.code for r in by_share] == ["b", "a", "c"]
    assert [r.service.code for r in by_share_down] == ["a", "b", "c"]
    assert [r.service.code for r in rows_sorted(rows, {}, column="group", descending=False)] \
        == ["a", "b", "c"]
    assert sort_parse("-share") == ("share", True)
    assert sort_parse("drop table") == ("pledge", False)


def test_a_search_matches_every_word_in_name_code_or_group():
    rows = [row("water-leak", .9), row("burst-pipe", .9), row("missed-bin", .9, group="Refuse")]

    assert [r.service.code for r in rows_matching(rows, "LEAK")] == ["water-leak"]
    assert [r.service.code for r in rows_matching(rows, "water")] == ["water-leak", "burst-pipe"]
    assert [r.service.code for r in rows_matching(rows, "refuse bin")] == ["missed-bin"]
    assert len(rows_matching(rows, "  ")) == 3


# --- the pages ----------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


@pytest.fixture
def folded(story):
    from imbizo.insights.rollups import rollups_fold

    with at(END):
        rollups_fold()
    return story


def get(client, url, **params):
    with at(END):
        return client.get(url, params)


def test_the_scorecard_leads_with_the_summary_then_the_table(client, folded):
    body = get(client, reverse("insights:scorecard"), period="12m").content.decode()

    assert body.index('id="summary"') < body.index('id="table-services"') \
        < body.index('id="overall-heading"')
    assert 'data-figure="kept"' in body
    # Each service links to its own page; no per-service charts on the scorecard.
    assert reverse("insights:scorecard_service", args=["water-leak"]) in body
    assert 'chart_id="trend-water-leak"' not in body and "trend-water-leak" not in body


def test_the_table_sorts_and_searches_without_javascript(client, folded):
    sorted_page = get(client, reverse("insights:scorecard"), sort="-share")
    missing = get(client, reverse("insights:scorecard"), q="potholes")

    assert sorted_page.context["sort"] == "share" and sorted_page.context["descending"]
    assert 'aria-sort="descending"' in sorted_page.content.decode()
    assert missing.context["rows"] == []
    body = missing.content.decode()
    assert "No service matches “potholes”" in body and 'value="potholes"' in body


def test_a_service_has_its_own_page_with_its_trend(client, folded):
    response = get(client, reverse("insights:scorecard_service", args=["water-leak"]),
                   period="12m")

    assert response.status_code == 200
    card_row = next(s for s in response.context["card"].services
                    if s.service.code == "water-leak")
    assert response.context["row"] == card_row
    body = response.content.decode()
    assert 'id="table-months"' in body and 'data-figure="resolve_share"' in body
    assert reverse("portal:service_detail", args=["water-leak"]) in body


def test_an_unknown_service_page_is_not_found(client, folded):
    assert get(client, reverse("insights:scorecard_service", args=["no-such"])).status_code == 404


def test_the_service_page_takes_a_fixed_number_of_queries(client, folded,
                                                          django_assert_max_num_queries):
    url = reverse("insights:scorecard_service", args=["water-leak"])
    get(client, url)  # warm the per-process catalogue snapshot

    with django_assert_max_num_queries(9):
        assert get(client, url).status_code == 200
