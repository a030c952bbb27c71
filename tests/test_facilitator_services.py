"""The facilitator's use cases through the services: completion, the dashboard under the k rule,
paired change, the workshop agenda, network administration and invitation codes, and that a
facilitator of one network sees nothing of another."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from ioa_assess.reports.chart_files import chart_png, chart_svg
from ioa_assess.services import agenda, dashboard, network_admin, web_sessions
from ioa_assess.services.accounts import issue_invitation, redeem_invitation
from ioa_assess.services.actor import SYSTEM, InvalidInput, NotFound, PermissionDenied, ServiceError, now
from ioa_assess.services.assessments import open_assessment, save_answer
from ioa_assess.services.cohort import cohort_scores, cohort_table, completion, network_info
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Assessment, AuditEvent, Body, Invitation, Meta, NetworkMember, Response
from tests.factories import MUNICIPALITIES_ROGALAND, QUESTIONS, T0, answer_all, make_cohort, make_user


def answer(body_id: int, round_id: int, levels: dict[str, int], default: int | None = 3) -> None:
    """A submitted assessment: the given levels, `default` for every other question."""
    with session_scope(write=True) as session:
        assessment = Assessment(
            body_id=body_id,
            round_id=round_id,
            status="submitted",
            started_at=T0,
            updated_at=T0,
            submitted_at=T0,
        )
        session.add(assessment)
        session.flush()
        for question_id in QUESTIONS:
            level = levels.get(question_id, default)
            if level is not None:
                session.add(
                    Response(
                        assessment_id=assessment.id,
                        question_id=question_id,
                        level=level,
                        comment="",
                        updated_at=T0,
                    )
                )


def name_bodies(*body_ids: int) -> None:
    with session_scope(write=True) as session:
        session.execute(update(Body).where(Body.id.in_(body_ids)).values(named_in_network=True))


@pytest.fixture
def k3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOA_K_ANONYMITY", "3")


# --- completion -------------------------------------------------------------------------------


def test_completion_states_counts_and_who_to_remind(any_db: str) -> None:
    cohort = make_cohort(["Gjesdal", "Sandnes", "Bergen", "Stavanger"])
    gjesdal, sandnes, bergen, _ = cohort.body_ids
    facilitator = make_user("fasilitator@ks.no", "facilitator", network_id=cohort.network_id)
    answer_all(sandnes, cohort.round_id, 3)
    network_admin.issue_codes(facilitator, cohort.round_id, [gjesdal, bergen])
    code = network_admin.issue_codes(facilitator, cohort.round_id, [bergen])[0].code
    participant = redeem_invitation(code)
    state = open_assessment(participant)
    save_answer(participant, state.id, "str-01", level=2)
    save_answer(participant, state.id, "str-02", level=0)  # "don't know" counts as answered

    rows = {r.body: r for r in completion(facilitator, cohort.round_id)}
    assert {name: r.status for name, r in rows.items()} == {
        "Gjesdal": "not_started",
        "Stavanger": "not_started",
        "Bergen": "in_progress",
        "Sandnes": "submitted",
    }
    assert (rows["Bergen"].answered, rows["Bergen"].total) == (2, 40)
    assert rows["Bergen"].last_activity is not None and rows["Gjesdal"].last_activity is None

    # A colleague answers too: the body's progress counts every question someone in it answered,
    # although nothing is agreed yet.
    colleague = redeem_invitation(network_admin.issue_codes(facilitator, cohort.round_id, [bergen])[0].code)
    save_answer(colleague, state.id, "str-02", level=4)
    save_answer(colleague, state.id, "mar-01", level=3)
    assert next(r for r in completion(facilitator, cohort.round_id) if r.body == "Bergen").answered == 3

    summary = dashboard.completion_summary(facilitator, cohort.round_id)
    assert summary.counts == {"not_started": 2, "in_progress": 1, "submitted": 1}
    by_county = summary.by_county.set_index("group")
    assert by_county.loc["Rogaland"].to_dict() == {
        "members": 3,
        "not_started": 2,
        "in_progress": 0,
        "submitted": 1,
    }
    assert by_county.loc["Vestland", "in_progress"] == 1
    assert summary.by_kind.set_index("group").loc["municipality", "members"] == 4

    remind = dashboard.remind_list(facilitator, cohort.round_id)
    assert [r.body for r in remind] == ["Gjesdal", "Stavanger", "Bergen"]  # not started first
    assert {r.body: r.active_codes for r in remind} == {"Gjesdal": 1, "Stavanger": 0, "Bergen": 3}
    assert next(r for r in remind if r.body == "Bergen").code_last_used is not None


# --- the dashboard under the k rule ------------------------------------------------------------


def test_cohort_rows_are_pseudonymous_and_named_only_where_agreed(any_db: str, k3: None) -> None:
    cohort = make_cohort(MUNICIPALITIES_ROGALAND[:8])
    for index, body_id in enumerate(cohort.body_ids):
        answer_all(body_id, cohort.round_id, 1 + index % 5)
    named = cohort.body_ids[:2]
    name_bodies(*named)
    facilitator = make_user("fasilitator@ks.no", "facilitator", network_id=cohort.network_id)

    shown = cohort_table(facilitator, cohort.round_id, names=True)
    assert sorted(r.name for r in shown.rows if r.name) == sorted(MUNICIPALITIES_ROGALAND[:2])
    assert sum(1 for r in shown.rows if r.name is None) == 6 and shown.hidden == 0
    anonymous = cohort_table(facilitator, cohort.round_id)  # the default: nobody named
    assert all(r.name is None for r in anonymous.rows) and len(anonymous.rows) == 8
    codes = [r.code for r in anonymous.rows]
    assert len(set(codes)) == 8 and all(c[0].isalpha() and c[1:].isdigit() for c in codes)
    assert {r.code: r.overall for r in shown.rows} == {r.code: r.overall for r in anonymous.rows}
    assert set(cohort_scores(facilitator, cohort.round_id)["body"]) == set(codes)
    assert cohort_table(facilitator, cohort.round_id).rows == anonymous.rows  # stable

    # Six agree to be named: the two that have not would be singled out next to them, so they go.
    name_bodies(*cohort.body_ids[:6])
    fewer = cohort_table(facilitator, cohort.round_id, names=True)
    assert fewer.hidden == 2 and len(fewer.rows) == 6 and all(r.name for r in fewer.rows)
    assert len(cohort_table(facilitator, cohort.round_id).rows) == 6

    # Per-body rows are cohort statistics: regional leaders see the regional aggregates only.
    regional = make_user("region@ks.no", "regional_leader", network_id=cohort.network_id)
    for call in (
        lambda: cohort_table(regional, cohort.round_id),
        lambda: cohort_scores(regional, cohort.round_id),
        lambda: agenda.workshop_agenda(regional, cohort.round_id),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert not dashboard.group_comparison(regional, cohort.round_id, "county").empty


def test_nothing_is_shown_below_k_submitted(any_db: str, k3: None) -> None:
    cohort = make_cohort(["Gjesdal", "Sandnes", "Bergen"])
    answer_all(cohort.body_ids[0], cohort.round_id, 2)
    answer_all(cohort.body_ids[1], cohort.round_id, 3)
    answer_all(cohort.body_ids[2], cohort.round_id, 4, status="draft")
    table = cohort_table(SYSTEM, cohort.round_id, names=True)
    assert table.too_few and table.rows == [] and cohort_scores(SYSTEM, cohort.round_id).empty
    assert agenda.question_spreads(SYSTEM, cohort.round_id).empty
    assert agenda.workshop_agenda(SYSTEM, cohort.round_id) == []


def test_pseudonyms_do_not_follow_ids_or_names_and_change_between_rounds(sqlite_url: str) -> None:
    from ioa_assess.bootstrap import init_database
    from ioa_assess.services.pseudonyms import code_for

    init_database()
    cohort = make_cohort(MUNICIPALITIES_ROGALAND, rounds=2)
    for body_id in cohort.body_ids:
        answer_all(body_id, cohort.round_id - 1, 3)
        answer_all(body_id, cohort.round_id, 3)
    first = [r.code for r in cohort_table(SYSTEM, cohort.round_id - 1).rows]
    second = [r.code for r in cohort_table(SYSTEM, cohort.round_id).rows]
    assert first == second == sorted(first, key=lambda c: (len(c), c))  # rows come in code order
    by_body = {}
    with session_scope() as session:
        from ioa_assess.services.pseudonyms import network_salt, round_pseudonyms
        from ioa_assess.storage.models import Round

        salt = network_salt(cohort.network_id)
        for round_id in (cohort.round_id - 1, cohort.round_id):
            by_body[round_id] = round_pseudonyms(session, session.get(Round, round_id), salt)
        stored = session.scalars(select(Meta.value).where(Meta.key.like("pseudonym_salt:%"))).all()
    assert stored == [salt] and len(salt) == 32
    in_id_order = [by_body[cohort.round_id][b] for b in sorted(cohort.body_ids)]
    assert in_id_order != [code_for(i) for i in range(len(cohort.body_ids))]
    assert by_body[cohort.round_id] != by_body[cohort.round_id - 1]
    assert [code_for(i) for i in (0, 9, 10, 259, 260)] == ["A0", "A9", "B0", "Z9", "AA0"]


def test_comparisons_withhold_small_and_differencing_groups(any_db: str, k3: None) -> None:
    cohort = make_cohort(["Gjesdal", "Sandnes", "Stavanger", "Sola", "Bergen", "Kinn"])
    for index, body_id in enumerate(cohort.body_ids):
        answer_all(body_id, cohort.round_id, 1 + index % 5)
    by_county = dashboard.group_comparison(SYSTEM, cohort.round_id, "county")
    overall = by_county[by_county["measure"] == "overall"].set_index("group")
    # Vestland has 2 bodies (too few); Rogaland's 4 differ from the network's 6 by 2 (< k).
    assert overall.loc["Vestland", "withheld"] == "too_few"
    assert overall.loc["Rogaland", "withheld"] == "differencing"
    assert by_county["median"].isna().all()
    by_kind = dashboard.group_comparison(SYSTEM, cohort.round_id, "kind")
    municipalities = by_kind[(by_kind["measure"] == "overall")].iloc[0]
    assert municipalities["bodies"] == 6 and municipalities["median"] == 2.5
    with pytest.raises(InvalidInput):
        dashboard.group_comparison(SYSTEM, cohort.round_id, "size")


def test_paired_change_counts_only_bodies_that_answered_both_rounds(any_db: str, monkeypatch) -> None:
    monkeypatch.setenv("IOA_K_ANONYMITY", "3")
    cohort = make_cohort(["Gjesdal", "Sandnes", "Stavanger", "Sola", "Bergen"], rounds=2)
    a, b, c, d, e = cohort.body_ids
    baseline, followup = cohort.round_id - 1, cohort.round_id
    for body_id, before, after in ((a, 1, 2), (b, 2, 4), (c, 3, 3)):
        answer_all(body_id, baseline, before)
        answer_all(body_id, followup, after)
    answer_all(d, followup, 5)  # follow-up only
    answer_all(e, baseline, 1)  # baseline only
    answer_all(e, followup, 5, status="draft")  # not submitted: does not count
    change = dashboard.paired_change(SYSTEM, baseline, followup)
    assert change.paired == 3 and (change.baseline_round, change.followup_round) == ("Runde 1", "Runde 2")
    rows = change.frame.set_index("measure")
    assert list(rows.index) == ["overall", "str", "org", "beh", "mar", "kon", "imp", "mal", "sam"]
    overall = rows.loc["overall"]
    assert (overall["bodies"], overall["before"], overall["after"], overall["change"]) == (3, 2.0, 3.0, 1.0)
    assert (overall["improved"], overall["declined"]) == (2, 0)
    assert (rows["change"] == 1.0).all()
    monkeypatch.setenv("IOA_K_ANONYMITY", "4")
    withheld = dashboard.paired_change(SYSTEM, baseline, followup).frame
    assert withheld["before"].isna().all() and (withheld["bodies"] == 3).all()
    with pytest.raises(InvalidInput):
        dashboard.paired_change(SYSTEM, followup, followup)


# --- the workshop agenda -----------------------------------------------------------------------

BASELINE = [{"mar-01": 1, "mar-02": 2}] * 4
FOLLOWUP = [
    {"str-01": 1, "str-02": 1, "str-03": 2, "org-01": 1, "org-02": 1},
    {"str-01": 1, "str-02": 2, "str-03": 2, "org-01": 1, "org-02": 2},
    {"str-01": 1, "str-02": 2, "str-03": 2, "org-01": 5, "org-02": 4},
    {"str-01": 2, "str-02": 2, "str-03": 2, "org-01": 5, "org-02": 5, "kon-01": 0},
]


@pytest.fixture
def workshop(any_db: str, k3: None):
    """Four bodies, two rounds; every answer is 3 except those in BASELINE / FOLLOWUP."""
    cohort = make_cohort(["Gjesdal", "Sandnes", "Stavanger", "Sola"], rounds=2)
    for body_id, before, after in zip(cohort.body_ids, BASELINE, FOLLOWUP, strict=True):
        answer(body_id, cohort.round_id - 1, before)
        answer(body_id, cohort.round_id, after)
    return cohort


def test_the_agenda_ranks_lowest_median_widest_spread_and_change(workshop) -> None:
    items = agenda.workshop_agenda(SYSTEM, workshop.round_id, workshop.round_id - 1, top=3)
    ranked = {r: [i.question_id for i in items if i.reason == r] for r in agenda.REASONS}
    # str-01 has median 1; str-02 and str-03 share median 2, and str-02 has the lower mean.
    assert ranked["lowest_median"] == ["str-01", "str-02", "str-03"]
    # IQR: org-01 (1,1,5,5) 4.0, org-02 (1,2,4,5) 2.5, then str-01 and str-02 tie (0.25): order.
    assert ranked["widest_spread"] == ["org-01", "org-02", "str-01"]
    # mar-01 went from 1 to 3 (+2), mar-02 from 2 to 3 (+1); nothing else rose.
    assert ranked["improved"] == ["mar-01", "mar-02"]
    assert ranked["declined"] == ["str-01", "str-02", "str-03"]  # -1.75, -1.25, -1.0
    first = items[0]
    assert (first.rank, first.bodies, first.median, first.q1, first.q3) == (1, 4, 1.0, 1.0, 1.25)
    improved = next(i for i in items if i.reason == "improved")
    assert improved.change == 2.0 and improved.bodies == 4
    spreads = agenda.question_spreads(SYSTEM, workshop.round_id).set_index("question_id")
    assert spreads.loc["kon-01", "bodies"] == 3  # "don't know" is left out
    without = agenda.workshop_agenda(SYSTEM, workshop.round_id, top=2)
    assert {i.reason for i in without} == {"lowest_median", "widest_spread"} and len(without) == 4
    with pytest.raises(InvalidInput):
        agenda.workshop_agenda(SYSTEM, workshop.round_id, top=0)


def test_learn_from_whom_lists_only_bodies_that_agreed_to_be_named(workshop) -> None:
    gjesdal, _, stavanger, _ = workshop.body_ids
    name_bodies(gjesdal, stavanger)
    facilitator = make_user("fasilitator@ks.no", "facilitator", network_id=workshop.network_id)
    learn = agenda.learn_from_whom(facilitator, workshop.round_id, "org-01")
    assert [(n.body, n.level) for n in learn.leaders] == [("Stavanger", 5)]  # Sola (5) has not agreed
    assert [(n.body, n.level) for n in learn.learners] == [("Gjesdal", 1)]  # nor Sandnes (1)
    assert learn.not_named == 2
    regional = make_user("region@ks.no", "regional_leader", network_id=workshop.network_id)
    with pytest.raises(PermissionDenied):
        agenda.learn_from_whom(regional, workshop.round_id, "org-01")
    with pytest.raises(InvalidInput):
        agenda.learn_from_whom(facilitator, workshop.round_id, "zzz-99")


# --- running the network -----------------------------------------------------------------------


def test_rounds_are_created_checked_and_closed(any_db: str) -> None:
    cohort = make_cohort(["Gjesdal", "Sandnes"])
    facilitator = make_user("fasilitator@ks.no", "facilitator", network_id=cohort.network_id)
    start = date(2027, 9, 1)
    round_id = network_admin.create_round(
        facilitator, cohort.network_id, " Måling 2027 ", start, start, "ioa-v1"
    )
    for name, opens, closes, version in (
        ("Måling 2027", start, start + timedelta(1), "ioa-v1"),  # the name is taken
        ("", start, start, "ioa-v1"),
        ("Senere", start, start - timedelta(1), "ioa-v1"),
        ("Senere", start, start, "ioa-v9"),
        ("x" * 201, start, start, "ioa-v1"),
    ):
        with pytest.raises(InvalidInput):
            network_admin.create_round(facilitator, cohort.network_id, name, opens, closes, version)
    network_admin.close_round(facilitator, round_id)
    with pytest.raises(InvalidInput, match="already closed"):
        network_admin.close_round(facilitator, round_id)
    with pytest.raises(InvalidInput, match="closed"):
        network_admin.issue_codes(facilitator, round_id, [cohort.body_ids[0]])
    with pytest.raises(PermissionDenied):
        network_admin.create_network(facilitator, "Eget nettverk")
    network_id = network_admin.create_network(SYSTEM, "Nettverk Nord", "Prøve")
    assert [n.name for n in network_admin.list_networks(SYSTEM)] == ["Nettverk Nord", "Testnettverk"]
    assert [n.id for n in network_admin.list_networks(facilitator)] == [cohort.network_id]
    with pytest.raises(InvalidInput):
        network_admin.create_network(SYSTEM, "Nettverk Nord")
    with session_scope() as session:
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions.count("round.create") == 1 and "round.close" in actions and "network.create" in actions
    assert network_id


def test_a_round_is_renamed_and_its_deadline_moved(any_db: str) -> None:
    cohort = make_cohort(["Gjesdal", "Sandnes"], rounds=2)
    facilitator = make_user("fasilitator@ks.no", "facilitator", network_id=cohort.network_id)
    later = date(2025, 12, 20)
    network_admin.change_round(facilitator, cohort.round_id, " Runde 2 (forlenget) ", date(2025, 9, 1), later)
    rounds = {r.id: r for r in network_info(facilitator).rounds}
    changed = rounds[cohort.round_id]
    assert (changed.name, changed.opens_on, changed.closes_on, changed.closed) == (
        "Runde 2 (forlenget)",
        date(2025, 9, 1),
        later,
        False,
    )
    before = network_info(facilitator)
    for name, opens, closes in (
        ("Runde 1", date(2025, 9, 1), later),  # another round's name
        ("", date(2025, 9, 1), later),
        ("Runde 2", later, date(2025, 9, 1)),  # closes before it opens
        ("x" * 201, date(2025, 9, 1), later),
    ):
        with pytest.raises(InvalidInput):
            network_admin.change_round(facilitator, cohort.round_id, name, opens, closes)
    assert network_info(facilitator) == before
    network_admin.change_round(facilitator, cohort.round_id, "Runde 2 (forlenget)", date(2025, 9, 1), later)
    with session_scope() as session:
        details = session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "round.change")).all()
    assert details == ["Runde 2; 2025-09-01 to 2025-12-01 -> Runde 2 (forlenget); 2025-09-01 to 2025-12-20"]


def test_a_member_leaves_only_before_it_has_answered(any_db: str) -> None:
    cohort = make_cohort(["Gjesdal", "Sandnes", "Sola"])
    facilitator = make_user("fasilitator@ks.no", "facilitator", network_id=cohort.network_id)
    gjesdal, sandnes, _sola = cohort.body_ids
    answer_all(sandnes, cohort.round_id, 3, status="draft")
    codes = network_admin.issue_codes(facilitator, cohort.round_id, [gjesdal])
    network_admin.remove_member(facilitator, cohort.network_id, gjesdal)
    assert [m.name for m in network_admin.members(facilitator, cohort.network_id)] == ["Sandnes", "Sola"]
    assert {r.body for r in completion(facilitator, cohort.round_id)} == {"Sandnes", "Sola"}
    with pytest.raises(InvalidInput):  # its code was revoked with it
        redeem_invitation(codes[0].code)
    with pytest.raises(InvalidInput, match="stays a member"):
        network_admin.remove_member(facilitator, cohort.network_id, sandnes)
    with pytest.raises(NotFound):
        network_admin.remove_member(facilitator, cohort.network_id, gjesdal)
    assert len(network_admin.members(facilitator, cohort.network_id)) == 2
    with session_scope() as session:
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert "network.member_remove" in actions and "invitation.revoke" in actions


def test_reopening_a_body_records_the_reason(any_db: str) -> None:
    cohort = make_cohort(["Gjesdal", "Sandnes"])
    facilitator = make_user("fasilitator@ks.no", "facilitator", network_id=cohort.network_id)
    answer_all(cohort.body_ids[0], cohort.round_id, 3)
    with pytest.raises(InvalidInput):
        network_admin.reopen_for_body(facilitator, cohort.round_id, cohort.body_ids[0], "  ")
    with pytest.raises(NotFound):
        network_admin.reopen_for_body(facilitator, cohort.round_id, cohort.body_ids[1], "not started")
    network_admin.reopen_for_body(facilitator, cohort.round_id, cohort.body_ids[0], "Feil i str-01")
    states = {r.body: r.status for r in completion(facilitator, cohort.round_id)}
    assert states == {"Gjesdal": "in_progress", "Sandnes": "not_started"}
    with session_scope() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "assessment.reopen"))
    assert event.detail == "Feil i str-01" and event.actor == "fasilitator@ks.no"


def test_members_are_found_by_name_or_number_and_added(any_db: str) -> None:
    cohort = make_cohort(["Gjesdal"])
    facilitator = make_user("fasilitator@ks.no", "facilitator", network_id=cohort.network_id)
    found = network_admin.search_bodies(facilitator, cohort.network_id, "ÅSERAL")
    assert [c.name for c in found] == ["Åseral"] and not found[0].member
    by_number = network_admin.search_bodies(facilitator, cohort.network_id, "1122")
    assert [(c.name, c.member) for c in by_number] == [("Gjesdal", True)]
    assert network_admin.search_bodies(facilitator, cohort.network_id, "  ") == []
    assert (
        len(network_admin.search_bodies(facilitator, cohort.network_id, "a"))
        == network_admin.MAX_SEARCH_RESULTS
    )
    added = network_admin.add_members(
        facilitator, cohort.network_id, [found[0].id, found[0].id, cohort.body_ids[0]]
    )
    assert added == 1
    assert [m.name for m in network_admin.members(facilitator, cohort.network_id)] == ["Åseral", "Gjesdal"]
    with pytest.raises(NotFound):
        network_admin.add_members(facilitator, cohort.network_id, [10**6])
    with pytest.raises(InvalidInput):
        network_admin.add_members(facilitator, cohort.network_id, [])


CSV_HEADER = "name,kind,county_number,municipality_number,population,official_written_standard,org_number\n"


def test_a_csv_import_is_all_or_nothing_and_lists_every_bad_row(any_db: str) -> None:
    cohort = make_cohort(["Gjesdal"])
    facilitator = make_user("fasilitator@ks.no", "facilitator", network_id=cohort.network_id)
    bad = (
        CSV_HEADER
        + "Sandnes,kommune,11,1108,,,\nNy etat,statlig virksomhet,99,,,,\nBergen,fylke,46,4601,,,\n"
    )
    with pytest.raises(network_admin.ImportRejected) as info:
        network_admin.import_members(facilitator, cohort.network_id, bad.encode())
    assert [p.split(":")[0] for p in info.value.problems] == ["row 3", "row 4"]
    assert len(network_admin.members(facilitator, cohort.network_id)) == 1

    rows = [
        "Sandnes,kommune,11,1108,1,Nynorsk,",
        "Ny etat,statlig virksomhet,46,,,,",
        "Gjesdal,kommune,11,1122,,,",
    ]
    good = CSV_HEADER + "\n".join(rows) + "\n"
    outcome = network_admin.import_members(facilitator, cohort.network_id, good.encode("utf-8-sig"))
    assert (outcome.created, outcome.updated, outcome.joined, outcome.already) == (1, 0, 2, 1)
    names = {m.name for m in network_admin.members(facilitator, cohort.network_id)}
    assert names == {"Gjesdal", "Sandnes", "Ny etat"}
    with session_scope() as session:  # a facilitator's file does not change the shared register
        sandnes = session.scalar(select(Body).where(Body.name == "Sandnes"))
        assert sandnes.population != 1 and sandnes.written_standard != "nynorsk"

    clash = CSV_HEADER + "Sola,kommune,11,1108,,,\n"  # Sandnes's number with Sola's name
    with pytest.raises(network_admin.ImportRejected, match="rejected") as info:
        network_admin.import_members(facilitator, cohort.network_id, clash.encode())
    assert "1108 belongs to Sandnes" in info.value.problems[0]
    other = make_cohort(["Bergen"], name="Annet nettverk")
    with pytest.raises(PermissionDenied):
        network_admin.import_members(facilitator, other.network_id, good.encode())


# --- invitation codes --------------------------------------------------------------------------


def test_a_code_works_per_session_until_revoked_or_expired(any_db: str) -> None:
    cohort = make_cohort(["Gjesdal", "Sandnes", "Bergen"])
    facilitator = make_user("fasilitator@ks.no", "facilitator", network_id=cohort.network_id)
    issued = network_admin.issue_codes(
        facilitator, cohort.round_id, [cohort.body_ids[1], cohort.body_ids[0]], 30
    )
    assert [c.body for c in issued] == ["Gjesdal", "Sandnes"]
    gjesdal = issued[0]
    assert (gjesdal.expires_at - now()).days in (29, 30)
    rows = network_admin.list_invitations(facilitator, cohort.round_id)
    assert all(r.status == "active" and r.used_count == 0 for r in rows)
    assert {r.hint for r in rows} == {c.code[-4:] for c in issued}
    with session_scope() as session:
        stored = " ".join(f"{i.code_hash} {i.hint}" for i in session.scalars(select(Invitation)))
    assert all(c.code not in stored and c.code.replace("-", "") not in stored for c in issued)

    # Each use binds one session to the code's body and round.
    actor = redeem_invitation(gjesdal.code)
    assert (actor.body_id, actor.round_id) == (cohort.body_ids[0], cohort.round_id)
    token = web_sessions.redeem_handoff(web_sessions.begin(actor)[1])
    assert web_sessions.resume(token)[1].body_id == cohort.body_ids[0]
    with pytest.raises(PermissionDenied):
        open_assessment(actor, round_id=cohort.round_id + 1)
    redeem_invitation(gjesdal.code)
    used = {r.body: r for r in network_admin.list_invitations(facilitator, cohort.round_id)}
    assert used["Gjesdal"].used_count == 2 and used["Gjesdal"].last_used_at is not None

    network_admin.revoke_code(facilitator, used["Gjesdal"].id)
    with pytest.raises(InvalidInput, match="not valid"):
        redeem_invitation(gjesdal.code)
    assert web_sessions.resume(token) is None  # the session bound by the code ends too
    with pytest.raises(InvalidInput, match="already revoked"):
        network_admin.revoke_code(facilitator, used["Gjesdal"].id)

    with session_scope(write=True) as session:
        session.execute(
            update(Invitation).where(Invitation.id == used["Sandnes"].id).values(expires_at=now())
        )
    with pytest.raises(InvalidInput, match="not valid"):
        redeem_invitation(issued[1].code)
    statuses = {r.body: r.status for r in network_admin.list_invitations(facilitator, cohort.round_id)}
    assert statuses == {"Gjesdal": "revoked", "Sandnes": "expired"}

    stranger = make_cohort(["Stavanger"], name="Annet nettverk")
    with pytest.raises(InvalidInput, match="member bodies"):
        network_admin.issue_codes(facilitator, cohort.round_id, [stranger.body_ids[0]])
    with pytest.raises(InvalidInput):
        network_admin.issue_codes(facilitator, cohort.round_id, [cohort.body_ids[2]], valid_days=0)
    with session_scope() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
    assert actions.count("invitation.issue") == 2 and actions.count("invitation.revoke") == 1


# --- one network's facilitator sees nothing of another ---------------------------------------


def test_a_facilitator_of_one_network_sees_nothing_of_another(any_db: str, k3: None) -> None:
    mine = make_cohort(["Gjesdal", "Sandnes", "Stavanger"], name="Mitt nettverk", rounds=2)
    theirs = make_cohort(["Bergen", "Kinn", "Sola"], name="Deres nettverk", rounds=2)
    for body_id in theirs.body_ids:
        answer_all(body_id, theirs.round_id - 1, 2)
        answer_all(body_id, theirs.round_id, 3)
    with session_scope(write=True) as session:
        invitation, _ = issue_invitation(session, SYSTEM, theirs.body_ids[0], theirs.round_id)
        invitation_id = invitation.id
    me = make_user("fasilitator@ks.no", "facilitator", network_id=mine.network_id)
    round_id, earlier, network_id = theirs.round_id, theirs.round_id - 1, theirs.network_id
    body_id = theirs.body_ids[0]
    before = _snapshot()
    for call in (
        lambda: completion(me, round_id),
        lambda: dashboard.completion_summary(me, round_id),
        lambda: dashboard.remind_list(me, round_id),
        lambda: cohort_table(me, round_id, names=True),
        lambda: cohort_scores(me, round_id),
        lambda: dashboard.group_comparison(me, round_id, "county"),
        lambda: dashboard.paired_change(me, earlier, round_id),
        lambda: dashboard.paired_change(me, mine.round_id, round_id),
        lambda: agenda.question_spreads(me, round_id),
        lambda: agenda.workshop_agenda(me, round_id, earlier),
        lambda: agenda.learn_from_whom(me, round_id, "str-01"),
        lambda: network_admin.members(me, network_id),
        lambda: network_admin.search_bodies(me, network_id, "Bergen"),
        lambda: network_admin.add_members(me, network_id, [mine.body_ids[0]]),
        lambda: network_admin.import_members(
            me, network_id, (CSV_HEADER + "Hå,kommune,11,1119,,,\n").encode()
        ),
        lambda: network_admin.create_round(
            me, network_id, "Ny", date(2030, 1, 1), date(2030, 2, 1), "ioa-v1"
        ),
        lambda: network_admin.close_round(me, round_id),
        lambda: network_admin.change_round(me, round_id, "Ny", date(2030, 1, 1), date(2030, 2, 1)),
        lambda: network_admin.remove_member(me, network_id, body_id),
        lambda: network_admin.reopen_for_body(me, round_id, body_id, "fordi"),
        lambda: network_admin.list_invitations(me, round_id),
        lambda: network_admin.issue_codes(me, round_id, [body_id]),
        lambda: network_admin.revoke_code(me, invitation_id),
    ):
        with pytest.raises((PermissionDenied, NotFound)):
            call()
    assert [n.name for n in network_admin.list_networks(me)] == ["Mitt nettverk"]
    assert _snapshot() == before


def _snapshot() -> tuple:
    with session_scope() as session:
        return (
            session.scalars(select(NetworkMember.body_id).order_by(NetworkMember.body_id)).all(),
            session.scalars(select(Assessment.status).order_by(Assessment.id)).all(),
            session.scalars(select(Invitation.revoked_at).order_by(Invitation.id)).all(),
        )


def test_roles_without_a_network_to_run_are_refused(any_db: str) -> None:
    cohort = make_cohort(["Gjesdal"])
    participant = make_user("deltaker@gjesdal.no", "participant", body_id=cohort.body_ids[0])
    regional = make_user("region@ks.no", "regional_leader", network_id=cohort.network_id)
    for actor in (participant, regional):
        with pytest.raises(ServiceError):
            network_admin.list_networks(actor)
        with pytest.raises(PermissionDenied):
            dashboard.remind_list(actor, cohort.round_id)
        with pytest.raises(PermissionDenied):
            network_admin.issue_codes(actor, cohort.round_id, cohort.body_ids)
    for bad in (0, -1, 2**63, 2**70):
        with pytest.raises((PermissionDenied, NotFound)):
            dashboard.completion_summary(SYSTEM, bad)
        with pytest.raises((PermissionDenied, NotFound)):
            network_admin.revoke_code(SYSTEM, bad)


# --- exports -----------------------------------------------------------------------------------


def test_exports_defuse_formulas_and_charts_render_to_files(any_db: str, k3: None) -> None:
    from ioa_assess.charts import heatmap_chart
    from ioa_assess.questionnaire import load_questionnaire
    from ioa_assess.reports.cohort_tables import cohort_data_frame, heatmap_frame
    from ioa_assess.reports.tables import to_csv

    cohort = make_cohort(["Gjesdal", "Sandnes", "Stavanger", "Sola"])
    with session_scope(write=True) as session:
        session.execute(update(Body).where(Body.id == cohort.body_ids[0]).values(name="=HYPERLINK(1)"))
    name_bodies(*cohort.body_ids)
    for body_id in cohort.body_ids:
        answer_all(body_id, cohort.round_id, 4)
    questionnaire = load_questionnaire()
    named = cohort_data_frame(cohort_table(SYSTEM, cohort.round_id, names=True), questionnaire, "en")
    assert "'=HYPERLINK(1)" in to_csv(named).decode("utf-8-sig")
    anonymous = cohort_data_frame(cohort_table(SYSTEM, cohort.round_id), questionnaire, "en")
    assert all(label.startswith("Body ") for label in anonymous["Body"])
    assert list(anonymous.columns[:2]) == ["Body", "Overall maturity"] and anonymous.shape == (4, 10)
    chart = heatmap_chart(heatmap_frame(cohort_table(SYSTEM, cohort.round_id), questionnaire, "nb"), "nb")
    assert chart_png(chart).startswith(b"\x89PNG")
    svg = chart_svg(chart).decode()
    assert svg.lstrip().startswith("<svg") and "4,0" in svg  # each cell's score is written out
