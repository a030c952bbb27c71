"""The leadership summary, its one-page PDF and Excel, and the regional aggregates under the k rule."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader

from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.reports.leadership_pdf import leadership_pdf, leadership_xlsx
from ioa_assess.services.actor import NotFound, PermissionDenied
from ioa_assess.services.leadership import leadership_summary
from ioa_assess.services.regional import regional_view
from ioa_assess.services.results import set_target
from tests.factories import MUNICIPALITIES_ROGALAND, answer_all, make_cohort, make_user

DIMENSIONS = load_questionnaire().dimensions


def _pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), reader.pages[
        0
    ].extract_text()  # page two is the plan (test_plan_pages), three the evidence


@pytest.mark.parametrize("rounds", [1, 3])
def test_page_one_of_the_pdf_has_the_body_the_round_and_every_dimension(sqlite_url: str, rounds: int) -> None:
    from ioa_assess.bootstrap import init_database

    init_database()
    cohort = make_cohort(MUNICIPALITIES_ROGALAND[:8], rounds=rounds)
    own = cohort.body_ids[0]
    for round_id in range(cohort.round_id - rounds + 1, cohort.round_id + 1):
        answer_all(own, round_id, 2 + (round_id % 2))
        for index, body_id in enumerate(cohort.body_ids[1:]):
            answer_all(body_id, round_id, 1 + index % 5)
    participant = make_user("deltaker@gjesdal.no", "participant", body_id=own)
    set_target(participant, "str", 4.0)
    leader = make_user("leder@gjesdal.no", "leader", body_id=own)
    summary = leadership_summary(leader, today=date(2026, 11, 26))
    assert len(summary.trend) == rounds and len(summary.strengths) == 3 and len(summary.gaps) == 3
    for lang, dimension_lang in (("nb", "nb"), ("en", "en")):
        pages, text = _pdf_text(leadership_pdf(summary, lang))
        assert pages == 3  # the picture, the plan, the answers with their evidence
        flat = " ".join(text.split())
        assert "Gjesdal" in flat and f"Runde {rounds}" in flat
        for dimension in DIMENSIONS:
            assert dimension.name.get(dimension_lang) in flat, dimension.id
    workbook = openpyxl.load_workbook(io.BytesIO(leadership_xlsx(summary, "en")))
    assert workbook.sheetnames == [
        "Over time",
        "Dimensions",
        "Targets",
        "Improvement plan",
        "Answers",
        "Evidence",
    ]
    assert workbook["Over time"].max_row == rounds + 1
    assert workbook["Targets"]["B2"].value == 4.0


def test_only_the_bodys_leaders_get_the_summary(sqlite_url: str) -> None:
    from ioa_assess.bootstrap import init_database

    init_database()
    cohort = make_cohort(["Gjesdal", "Sandnes"])
    participant = make_user("deltaker@gjesdal.no", "participant", body_id=cohort.body_ids[0])
    with pytest.raises(PermissionDenied):
        leadership_summary(participant)
    leader = make_user("leder@gjesdal.no", "leader", body_id=cohort.body_ids[0])
    with pytest.raises(NotFound):
        leadership_summary(leader)


def test_regional_aggregates_follow_the_k_rule_per_county(any_db: str, monkeypatch) -> None:
    monkeypatch.setenv("IOA_K_ANONYMITY", "5")
    vestland = ["Bergen", "Voss", "Askøy", "Kinn", "Etne", "Sveio"]
    agder = ["Kristiansand", "Arendal", "Grimstad"]
    rogaland = ["Sandnes", "Stavanger", "Sola", "Klepp", "Time"]
    cohort = make_cohort(vestland + agder + rogaland)
    for index, body_id in enumerate(cohort.body_ids):
        answer_all(body_id, cohort.round_id, 1 + index % 5)
    regional = make_user("region@ks.no", "regional_leader", network_id=cohort.network_id)
    view = regional_view(regional)
    counties = view.trend[view.trend["group_type"] == "county"].set_index("group")
    assert counties.loc["Vestland", "bodies"] == 6
    assert counties.loc["Vestland", "median"] == pytest.approx(2.5)
    assert counties.loc["Rogaland", "bodies"] == 5
    assert counties.isna().loc["Agder", "median"]
    participation = view.participation.set_index("county")
    assert participation.loc["Vestland", "submitted"] == 6
    assert participation.isna().loc["Agder", "submitted"]
    assert not view.shared_gaps.empty and view.shared_gaps["bodies"].min() >= 5


def test_a_county_nearly_equal_to_the_network_is_withheld(any_db: str, monkeypatch) -> None:
    """Vestland holds all but two bodies: network minus Vestland would reveal those two."""
    monkeypatch.setenv("IOA_K_ANONYMITY", "5")
    cohort = make_cohort(["Bergen", "Voss", "Askøy", "Kinn", "Etne", "Sveio", "Sandnes", "Stavanger"])
    for index, body_id in enumerate(cohort.body_ids):
        answer_all(body_id, cohort.round_id, 1 + index % 5)
    regional = make_user("region@ks.no", "regional_leader", network_id=cohort.network_id)
    counties = regional_view(regional).trend.query("group_type == 'county'").set_index("group")
    assert counties.isna().loc["Vestland", "median"]


def test_another_networks_regional_leader_sees_nothing(any_db: str) -> None:
    ours = make_cohort(["Bergen"], name="Vårt nettverk")
    theirs = make_cohort(["Voss"], name="Deres nettverk")
    stranger = make_user("region@ks.no", "regional_leader", network_id=theirs.network_id)
    with pytest.raises(PermissionDenied):
        regional_view(stranger, network_id=ours.network_id)
