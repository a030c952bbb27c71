"""Open data: the files read back, the k rule and the differencing rule hold, and no body is named."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ioa_assess.bootstrap import init_database
from ioa_assess.reports.open_data_files import COLUMNS, files
from ioa_assess.services.actor import SYSTEM, PermissionDenied
from ioa_assess.services.open_data import open_data
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Assessment, Body
from tests.conftest import PROJECT
from tests.factories import answer_all, make_cohort
from tests.test_pages import demo_actor

K = 5


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a spreadsheet needs the BOM to read UTF-8"
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))


def number(cell: str) -> float:
    return float(cell.replace(",", "."))


def test_export_open_data_command_writes_files_that_read_back(demo_db: str, tmp_path: Path) -> None:
    out = tmp_path / "open"
    done = subprocess.run(
        [sys.executable, "-m", "ioa_assess", "export-open-data", "--round", "2", "--out", str(out)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env={**os.environ, "IOA_OPEN_DATA_LICENCE": "NLOD 2.0"},
    )
    assert done.returncode == 0, done.stderr
    dimensions, questions = read_csv(out / "dimensions.csv"), read_csv(out / "questions.csv")
    assert list(dimensions[0]) == [name for name, _ in COLUMNS]
    network = next(r for r in dimensions if r["group_type"] == "network" and r["measure"] == "overall")
    with session_scope() as session:
        submitted = session.scalar(
            select(func.count()).where(Assessment.round_id == 2, Assessment.status == "submitted")
        )
    assert (
        network["bodies"] == str(submitted) and "," in network["median"]
    )  # decimal comma for Norwegian spreadsheets
    assert 1 <= number(network["q1"]) <= number(network["median"]) <= number(network["q3"]) <= 5
    for row in dimensions + questions:
        if row["withheld"]:
            assert row["bodies"] == row["median"] == row["q1"] == row["q3"] == ""
        else:
            assert int(row["bodies"]) >= K
    assert {r["withheld"] for r in dimensions} >= {"", "too_few"}
    assert any(r["group"] == "Kommune" for r in dimensions)  # kinds by their Norwegian names
    document = json.loads((out / "open-data.json").read_text(encoding="utf-8"))
    assert document["k"] == K and document["questionnaire_version"] == "ioa-v2"  # the demo's open round
    assert document["licence"] == "NLOD 2.0"
    assert [d["column"] for d in document["dictionary"]] == [name for name, _ in COLUMNS]
    assert len(document["questions"]) == len(questions)
    with session_scope() as session:
        names = set(session.scalars(select(Body.name)))
    cells = {c for r in dimensions + questions for c in r.values()}
    assert not names & cells, "no body is named in open data"
    text = json.dumps(document, ensure_ascii=False)
    assert not [n for n in names if f'"{n}"' in text]


def test_a_county_that_would_single_out_the_rest_is_withheld(sqlite_url: str) -> None:
    init_database()
    vestland = ["Bergen", "Kinn", "Etne", "Sveio", "Bømlo"]
    rogaland = ["Stavanger", "Sandnes"]
    cohort = make_cohort(vestland + rogaland)
    for level, body_id in enumerate(cohort.body_ids):
        answer_all(body_id, cohort.round_id, 1 + level % 5)
    data = open_data(SYSTEM, cohort.round_id)
    overall = {(a.group_type, a.group): a for a in data.aggregates if a.measure == "overall"}
    assert overall[("network", "")].bodies == 7
    # Vestland has 5 bodies, but the network minus Vestland would be Rogaland's 2: withheld.
    assert overall[("county", "Vestland")].withheld == "differencing"
    assert overall[("county", "Vestland")].median is None
    assert overall[("county", "Rogaland")].withheld == "too_few"
    written = files(data)["dimensions.csv"].decode("utf-8-sig")
    assert ";differencing" in written and "Bergen" not in written


def test_fewer_than_k_submitted_publishes_no_figure(sqlite_url: str) -> None:
    init_database()
    cohort = make_cohort(["Bergen", "Kinn", "Etne", "Sveio"])
    for body_id in cohort.body_ids:
        answer_all(body_id, cohort.round_id, 3)
    data = open_data(SYSTEM, cohort.round_id)
    assert all(a.median is None and a.withheld == "too_few" for a in data.aggregates)


def test_open_data_is_for_those_who_see_the_network_aggregates(demo_db: str) -> None:
    with pytest.raises(PermissionDenied):
        open_data(demo_actor("leader"), 2)
    assert open_data(demo_actor("regional_leader"), 2).aggregates
