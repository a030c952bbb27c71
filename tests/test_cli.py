"""The command line, run as a user runs it: python -m ioa_assess COMMAND with IOA_DATABASE_URL set."""

from __future__ import annotations

import codecs
import copy
import csv
import functools
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from ioa_assess.seed import DEMO_NETWORK, DEMO_ROLES
from ioa_assess.services.accounts import redeem_invitation, sign_in
from ioa_assess.storage.migrate import head_revision
from ioa_assess.storage.models import Base
from tests.conftest import PROJECT, use_database

QUESTIONNAIRE = PROJECT / "data" / "questionnaire" / "ioa-v1.yaml"
REFERENCE_BODIES = 108
CODE = re.compile(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}")
PASSWORD = "correct horse battery staple"
HEADER = "name,kind,county_number,municipality_number,population,official_written_standard,org_number"


def cli(*args: str, url: str, stdin: str = "", timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ioa_assess", *args],
        env={**os.environ, "IOA_DATABASE_URL": url},
        cwd=PROJECT,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=timeout,
    )


def url_of(path: Path) -> str:
    return f"sqlite:///{path}"


def path_of(url: str) -> Path:
    assert url.startswith("sqlite:///")
    return Path(url.removeprefix("sqlite:///"))


def sql(path: Path, query: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(query, params).fetchall()


def count(path: Path, table: str) -> int:
    return sql(path, f"SELECT count(*) FROM {table}")[0][0]  # noqa: S608 - fixed table names


def dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.iterdump())


def assert_clean_failure(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    """Non-zero exit, an "error:" message for people, and no Python traceback."""
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    assert result.stderr.startswith("error: "), output
    for needle in needles:
        assert needle in result.stderr, output


ANSWERS_QUERY = """
    SELECT b.name, r.name, a.status, s.question_id, s.level, s.comment
    FROM responses s
    JOIN assessments a ON a.id = s.assessment_id
    JOIN bodies b ON b.id = a.body_id
    JOIN rounds r ON r.id = a.round_id
    ORDER BY b.name, r.name, s.question_id
"""


# --- fixtures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Seeded:
    path: Path
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Seeded]:
    """Demo databases seeded through the CLI, started side by side to use both cores."""
    root = tmp_path_factory.mktemp("seeded")
    plans = {
        "seven": ["--seed", "7"],
        "seven_again": ["--seed", "7"],
        "eight": ["--seed", "8"],
        "large": ["--seed", "7", "--agencies", "150", "--rounds", "3"],
    }
    running = {
        name: subprocess.Popen(
            [sys.executable, "-m", "ioa_assess", "seed-demo", *args],
            env={**os.environ, "IOA_DATABASE_URL": url_of(root / f"{name}.db")},
            cwd=PROJECT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, args in plans.items()
    }
    done = {}
    for name, process in running.items():
        stdout, stderr = process.communicate(timeout=300)
        done[name] = Seeded(root / f"{name}.db", process.returncode, stdout, stderr)
    return done


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database made by `init-db` alone (schema and reference bodies); tests copy it."""
    path = tmp_path_factory.mktemp("init") / "init.db"
    result = cli("init-db", url=url_of(path))
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def fresh_init(initialised: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ioa.db"
    shutil.copy(initialised, target)
    return target


def copy_of(seeded: Seeded, tmp_path: Path) -> Path:
    assert seeded.returncode == 0, seeded.stderr
    target = tmp_path / seeded.path.name
    shutil.copy(seeded.path, target)
    return target


# --- validate-questionnaire ---------------------------------------------------------------


def test_validate_questionnaire_summarises_the_shipped_file() -> None:
    result = cli("validate-questionnaire", "data/questionnaire/ioa-v1.yaml", url="sqlite://")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ioa-v1: 8 dimensions, 40 questions, languages: nb, nn, en\n"
    assert result.stderr == ""


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@functools.cache
def _shipped_questionnaire() -> dict:
    return yaml.load(QUESTIONNAIRE.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 - safe loader


def _duplicate_id(raw: dict) -> dict:
    raw["questions"][5]["id"] = raw["questions"][4]["id"]
    return raw


def _missing_level(raw: dict) -> dict:
    del raw["questions"][3]["levels"][4]
    return raw


def _unknown_dimension(raw: dict) -> dict:
    raw["questions"][2]["dimension"] = "xyz"
    return raw


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (_duplicate_id, "duplicate question id 'str-05'"),
        (_missing_level, "level 4 is missing"),
        (_unknown_dimension, "names an unknown dimension 'xyz'"),
        ("id: ioa-v1\nquestions: [\n  - a: b\n", "not valid YAML"),
    ],
    ids=["duplicate-id", "missing-level", "unknown-dimension", "bad-yaml"],
)
def test_validate_questionnaire_reports_a_broken_file_in_one_line(
    tmp_path: Path, change: object, problem: str
) -> None:
    broken = tmp_path / "broken.yaml"
    if isinstance(change, str):
        broken.write_text(change, encoding="utf-8")
    else:
        raw = change(copy.deepcopy(_shipped_questionnaire()))
        broken.write_text(yaml.dump(raw, Dumper=_DUMPER, allow_unicode=True), encoding="utf-8")
    result = cli("validate-questionnaire", str(broken), url="sqlite://")
    assert_clean_failure(result, str(broken), problem)
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stdout == ""


def test_validate_questionnaire_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    result = cli("validate-questionnaire", str(missing), url="sqlite://")
    assert_clean_failure(result, str(missing), "cannot read the file")


# --- init-db ------------------------------------------------------------------------------


def test_init_db_creates_the_schema_and_the_reference_bodies(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    result = cli("init-db", url=url_of(path))
    assert result.returncode == 0, result.stderr
    assert f"({REFERENCE_BODIES} public bodies)" in result.stdout
    assert sql(path, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
    tables = {name for (name,) in sql(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert set(Base.metadata.tables) <= tables
    assert count(path, "bodies") == REFERENCE_BODIES
    assert sql(path, "SELECT number, name FROM counties ORDER BY number") == [
        (11, "Rogaland"),
        (42, "Agder"),
        (46, "Vestland"),
    ]
    assert sql(path, "SELECT kind, county_number FROM bodies WHERE municipality_number = '1122'") == [
        ("municipality", 11)
    ]


def test_init_db_again_keeps_existing_rows(fresh_init: Path) -> None:
    with closing(sqlite3.connect(fresh_init)) as conn, conn:
        conn.execute(
            "INSERT INTO networks (name, description, created_at) VALUES (?, ?, ?)",
            ("Eget nettverk", "lagt inn for hånd", "2026-01-01 00:00:00"),
        )
    result = cli("init-db", url=url_of(fresh_init))
    assert result.returncode == 0, result.stderr
    assert sql(fresh_init, "SELECT name, description FROM networks") == [
        ("Eget nettverk", "lagt inn for hånd")
    ]
    assert count(fresh_init, "bodies") == REFERENCE_BODIES
    assert sql(fresh_init, "SELECT version_num FROM alembic_version") == [(head_revision(),)]


def test_init_db_on_a_seeded_database_changes_nothing(seeded: dict[str, Seeded], tmp_path: Path) -> None:
    path = copy_of(seeded["seven"], tmp_path)
    before = dump(path)
    result = cli("init-db", url=url_of(path))
    assert result.returncode == 0, result.stderr
    assert dump(path) == before


# --- seed-demo ----------------------------------------------------------------------------


def test_seed_demo_prints_one_sign_in_per_role(seeded: dict[str, Seeded]) -> None:
    run = seeded["seven"]
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("demo network seeded in ")
    sign_ins = [line.split(" ") for line in lines[1:]]
    assert [s[0] for s in sign_ins] == list(DEMO_ROLES)
    assert [s[0] for s in sign_ins] == [
        "participant",
        "agency_lead",
        "leader",
        "facilitator",
        "regional_leader",
        "admin",
    ]
    for fields in sign_ins:
        assert len(fields) == 3, fields
        assert "@" in fields[1]
        assert len(fields[2]) >= 12


def test_seed_demo_sign_ins_work(seeded: dict[str, Seeded], tmp_path: Path) -> None:
    path = copy_of(seeded["seven"], tmp_path)
    use_database(url_of(path))
    (gjesdal,) = sql(path, "SELECT id FROM bodies WHERE name = 'Gjesdal'")[0]
    (sandnes,) = sql(path, "SELECT id FROM bodies WHERE name = 'Sandnes'")[0]
    for line in seeded["seven"].stdout.splitlines()[1:]:
        role, email, password = line.split(" ")
        actor = sign_in(email, password)
        assert actor.role == role
        if role in ("participant", "agency_lead"):
            assert actor.body_id == gjesdal  # a draft in the open round, to answer
        if role == "leader":
            assert actor.body_id == sandnes  # has answered every round, to follow over time


def test_seed_demo_is_reproducible_for_a_seed(seeded: dict[str, Seeded]) -> None:
    first, again, other = seeded["seven"], seeded["seven_again"], seeded["eight"]
    for run in (first, again, other):
        assert run.returncode == 0, run.stderr
    answers = sql(first.path, ANSWERS_QUERY)
    assert len(answers) > 1000
    assert sql(again.path, ANSWERS_QUERY) == answers
    assert sql(other.path, ANSWERS_QUERY) != answers
    members = "SELECT b.name FROM network_members m JOIN bodies b ON b.id = m.body_id ORDER BY b.name"
    assert sql(again.path, members) == sql(first.path, members)
    assert first.stdout.replace(str(first.path), "") == again.stdout.replace(str(again.path), "")


def test_seed_demo_twice_is_refused_and_changes_nothing(seeded: dict[str, Seeded], tmp_path: Path) -> None:
    path = copy_of(seeded["seven"], tmp_path)
    before = dump(path)
    result = cli("seed-demo", "--seed", "7", url=url_of(path))
    assert_clean_failure(result, "already holds the demo network")
    assert result.returncode == 1
    assert dump(path) == before


def test_seed_demo_with_more_agencies_than_real_bodies(seeded: dict[str, Seeded]) -> None:
    run = seeded["large"]
    assert run.returncode == 0, run.stderr
    assert "(150 bodies, 3 rounds)" in run.stdout
    members = sql(
        run.path,
        "SELECT b.name, b.synthetic FROM network_members m JOIN bodies b ON b.id = m.body_id",
    )
    assert len(members) == 150
    synthetic = [name for name, flag in members if flag]
    assert len(synthetic) == 150 - REFERENCE_BODIES
    assert all("Syntetisk" in name for name in synthetic)
    assert count(run.path, "bodies") == 150
    rounds = sql(run.path, "SELECT name, closed_at IS NULL FROM rounds ORDER BY opens_on")
    assert [name for name, _ in rounds] == ["Baseline 2024", "Oppfølging 2025", "Måling 3 2026"]
    assert [is_open for _, is_open in rounds] == [0, 0, 1]
    answered = sql(
        run.path,
        "SELECT count(DISTINCT a.body_id) FROM assessments a JOIN bodies b ON b.id = a.body_id"
        " WHERE b.synthetic = 1",
    )[0][0]
    assert answered > 0


def test_seed_demo_rejects_too_few_agencies(tmp_path: Path) -> None:
    path = tmp_path / "few.db"
    result = cli("seed-demo", "--agencies", "3", url=url_of(path))
    assert_clean_failure(result, "--agencies must be between 5 and")


# --- import-agencies ----------------------------------------------------------------------


def test_import_agencies_adds_and_updates_bodies(fresh_init: Path, tmp_path: Path) -> None:
    # Semicolons and a byte order mark, as Excel in Norway saves "CSV UTF-8".
    text = (
        HEADER.replace(",", ";")
        + "\nNye Øyane kommune;kommune;46;4699;1 200;Nynorsk;\n"
        + "Testetaten Sør;statlig virksomhet;11;;;Bokmål;974760673\n"
        + "Gjesdal;municipality;11;1122;13000;Nøytral;\n"
    )
    csv_file = tmp_path / "bodies.csv"
    csv_file.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    result = cli("import-agencies", str(csv_file), url=url_of(fresh_init))
    assert result.returncode == 0, result.stderr
    assert "2 bodies added, 1 updated" in result.stdout
    assert count(fresh_init, "bodies") == REFERENCE_BODIES + 2
    rows = sql(
        fresh_init,
        "SELECT name, kind, county_number, municipality_number, population, written_standard, org_number"
        " FROM bodies WHERE name IN ('Nye Øyane kommune', 'Testetaten Sør', 'Gjesdal') ORDER BY name",
    )
    assert rows == [
        ("Gjesdal", "municipality", 11, "1122", 13000, "neutral", None),
        ("Nye Øyane kommune", "municipality", 46, "4699", 1200, "nynorsk", None),
        ("Testetaten Sør", "state_agency", 11, None, None, "bokmal", "974760673"),
    ]


def test_import_agencies_rejects_a_file_with_bad_rows_whole(fresh_init: Path, tmp_path: Path) -> None:
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text(
        HEADER
        + "\nGodt navn,municipality,46,4698,1200,Nynorsk,\n"  # row 2: fine on its own
        + "Feil nummer,municipality,46,46A1,1200,Nynorsk,\n"  # row 3
        + "Feil fylke,state_agency,99,,,,\n"  # row 4
        + "Godt navn,municipality,46,4697,10,,\n"  # row 5: duplicate of row 2
        + ",state_agency,46,,,,\n",  # row 6: no name
        encoding="utf-8",
    )
    before = dump(fresh_init)
    result = cli("import-agencies", str(csv_file), url=url_of(fresh_init))
    assert_clean_failure(
        result,
        str(csv_file),
        "nothing was imported",
        "row 3: bad municipality number '46A1'",
        "row 4: unknown county '99'",
        "row 5: duplicate of row 2",
        "row 6: name is missing",
    )
    assert "row 2:" not in result.stderr
    assert count(fresh_init, "bodies") == REFERENCE_BODIES
    assert dump(fresh_init) == before


def test_import_agencies_rejects_a_file_that_is_not_utf8(fresh_init: Path, tmp_path: Path) -> None:
    csv_file = tmp_path / "latin1.csv"
    text = HEADER + "\nBlåbærøy etat,state_agency,46,,,Nynorsk,\nSørøy kommune,municipality,46,4696,800,,\n"
    csv_file.write_bytes(text.encode("latin-1"))
    before = dump(fresh_init)
    result = cli("import-agencies", str(csv_file), url=url_of(fresh_init))
    assert_clean_failure(result, str(csv_file), "not UTF-8")
    assert dump(fresh_init) == before


# --- invite -------------------------------------------------------------------------------


def _gjesdal_and_open_round(path: Path) -> tuple[int, int]:
    (body_id,) = sql(path, "SELECT id FROM bodies WHERE name = 'Gjesdal'")[0]
    (round_id,) = sql(path, "SELECT id FROM rounds WHERE closed_at IS NULL")[0]
    return body_id, round_id


def test_invite_prints_a_code_that_signs_in_for_gjesdal(demo_db: str) -> None:
    path = path_of(demo_db)
    result = cli("invite", "--agency", "Gjesdal", url=demo_db)
    assert result.returncode == 0, result.stderr
    code = result.stdout.strip().splitlines()[-1]
    assert CODE.fullmatch(code), result.stdout
    assert "Gjesdal" in result.stdout
    # Only a hash of the code is stored.
    stored = "\n".join(dump(path))
    assert code not in stored
    assert code.replace("-", "") not in stored
    actor = redeem_invitation(code)
    assert (actor.role, actor.body_id, actor.round_id) == ("participant", *_gjesdal_and_open_round(path))


def test_invite_by_municipality_number(demo_db: str) -> None:
    path = path_of(demo_db)
    by_number = cli("invite", "--agency", "1122", url=demo_db)
    by_lower_name = cli("invite", "--agency", " gjesdal ", url=demo_db)
    codes = []
    for result in (by_number, by_lower_name):
        assert result.returncode == 0, result.stderr
        codes.append(result.stdout.strip().splitlines()[-1])
        assert CODE.fullmatch(codes[-1]), result.stdout
    assert codes[0] != codes[1]
    for code in codes:
        assert redeem_invitation(code).body_id == _gjesdal_and_open_round(path)[0]


def test_invite_unknown_agency(demo_db: str) -> None:
    path = path_of(demo_db)
    before = count(path, "invitations")
    result = cli("invite", "--agency", "Atlantis", url=demo_db)
    assert_clean_failure(result, "Atlantis")
    assert "no public body" in result.stderr
    assert count(path, "invitations") == before


def test_invite_body_outside_the_network(demo_db: str) -> None:
    path = path_of(demo_db)
    outside = sql(
        path,
        "SELECT name FROM bodies WHERE id NOT IN (SELECT body_id FROM network_members) ORDER BY name",
    )
    assert outside, "the demo network should leave some reference bodies out"
    result = cli("invite", "--agency", outside[0][0], url=demo_db)
    assert_clean_failure(result, outside[0][0], "--round")
    assert count(path, "invitations") == 0


# --- create-user --------------------------------------------------------------------------


def test_create_user_reads_the_password_from_stdin(demo_db: str) -> None:
    path = path_of(demo_db)
    result = cli(
        "create-user",
        "--email",
        "x@y.no",
        "--role",
        "facilitator",
        "--network",
        DEMO_NETWORK,
        url=demo_db,
        stdin=PASSWORD + "\n",
    )
    assert result.returncode == 0, result.stderr
    assert "x@y.no" in result.stdout
    assert PASSWORD not in result.stdout + result.stderr
    assert PASSWORD not in "\n".join(dump(path))
    (network_id,) = sql(path, "SELECT id FROM networks WHERE name = ?", (DEMO_NETWORK,))[0]
    actor = sign_in("x@y.no", PASSWORD)
    assert (actor.role, actor.network_id) == ("facilitator", network_id)


@pytest.mark.parametrize(
    ("args", "password", "problem"),
    [
        (["--role", "facilitator", "--network", DEMO_NETWORK], "kort-pass", "at least 12 characters"),
        (["--role", "wizard", "--network", DEMO_NETWORK], PASSWORD, "Unknown role 'wizard'"),
        (["--role", "facilitator", "--network", "Ukjent nettverk"], PASSWORD, "Ukjent nettverk"),
        (["--role", "participant"], PASSWORD, "needs a body"),
    ],
    ids=["short-password", "unknown-role", "unknown-network", "participant-without-body"],
)
def test_create_user_refuses_bad_input(demo_db: str, args: list[str], password: str, problem: str) -> None:
    path = path_of(demo_db)
    before = count(path, "users")
    result = cli("create-user", "--email", "x@y.no", *args, url=demo_db, stdin=password + "\n")
    assert_clean_failure(result, problem)
    assert count(path, "users") == before


def test_create_user_refuses_a_duplicate_email(demo_db: str) -> None:
    path = path_of(demo_db)
    args = ["--role", "participant", "--agency", "Gjesdal"]
    first = cli("create-user", "--email", "ny@gjesdal.kommune.no", *args, url=demo_db, stdin=PASSWORD + "\n")
    assert first.returncode == 0, first.stderr
    users = count(path, "users")
    again = cli("create-user", "--email", "NY@Gjesdal.kommune.no", *args, url=demo_db, stdin=PASSWORD + "\n")
    assert_clean_failure(again, "already exists")
    assert count(path, "users") == users
    # The first account still has the first password.
    assert sign_in("ny@gjesdal.kommune.no", PASSWORD).role == "participant"


# --- export -------------------------------------------------------------------------------

EXPECTED_COLUMNS = {
    "network",
    "round",
    "body",
    "county",
    "status",
    "question_id",
    "dimension",
    "level",
    "comment",
}


def _read_export(out: Path, fmt: str) -> tuple[list[str], list[dict[str, object]]]:
    if fmt == "csv":
        assert out.read_bytes().startswith(codecs.BOM_UTF8)  # Excel then shows æøå right
        with out.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            return list(reader.fieldnames or []), rows
    if fmt == "json":
        rows = json.loads(out.read_text(encoding="utf-8"))
        return list(rows[0]), rows
    workbook = load_workbook(out, read_only=True)
    assert workbook.sheetnames == ["responses", "scores"]
    table = list(workbook["responses"].iter_rows(values_only=True))
    columns = [str(c) for c in table[0]]
    return columns, [dict(zip(columns, row, strict=True)) for row in table[1:]]


def _level(value: object) -> float | None:
    if value is None or value == "":
        return None
    return float(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_writes_every_response(demo_db: str, tmp_path: Path, fmt: str) -> None:
    path = path_of(demo_db)
    out = tmp_path / f"export.{fmt}"
    result = cli("export", "--format", fmt, "--out", str(out), url=demo_db)
    assert result.returncode == 0, result.stderr
    expected = count(path, "responses")
    assert f"{expected} responses exported to {out}" in result.stdout
    columns, rows = _read_export(out, fmt)
    assert set(columns) >= EXPECTED_COLUMNS
    assert len(rows) == expected
    assert {r["network"] for r in rows} == {DEMO_NETWORK}
    gjesdal = [r for r in rows if r["body"] == "Gjesdal"]
    assert {r["round"] for r in gjesdal} == {"Baseline 2025", "Oppfølging 2026"}
    assert {r["county"] for r in gjesdal} == {"Rogaland"}
    stored = sql(
        path,
        "SELECT s.question_id, s.level, s.comment FROM responses s"
        " JOIN assessments a ON a.id = s.assessment_id JOIN bodies b ON b.id = a.body_id"
        " JOIN rounds r ON r.id = a.round_id"
        " WHERE b.name = 'Gjesdal' AND r.name = 'Baseline 2025' ORDER BY s.question_id",
    )
    exported = [
        (r["question_id"], _level(r["level"]), r["comment"] or "")
        for r in gjesdal
        if r["round"] == "Baseline 2025"
    ]
    # "Don't know / not relevant" (0) is exported as an empty level.
    assert exported == [(q, float(level) if level else None, comment) for q, level, comment in stored]
    levels = {_level(r["level"]) for r in rows}
    assert levels <= {None, 1.0, 2.0, 3.0, 4.0, 5.0}
    if fmt == "xlsx":
        scores = list(load_workbook(out, read_only=True)["scores"].iter_rows(values_only=True))
        assert {"round", "body", "overall"} <= set(scores[0])
        body_column = list(scores[0]).index("body")
        assert "Gjesdal" in {row[body_column] for row in scores[1:]}


def test_export_to_a_missing_folder_fails_cleanly(demo_db: str, tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "export.csv"
    result = cli("export", "--format", "csv", "--out", str(out), url=demo_db)
    assert_clean_failure(result, str(out))
    assert not out.exists()


# --- a database that cannot be reached ----------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["init-db"], ["invite", "--agency", "Gjesdal"], ["export", "--format", "json", "--out", "{out}"]],
    ids=["init-db", "invite", "export"],
)
def test_unreachable_database_gives_a_clear_error(tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "export.json"
    args = [a.replace("{out}", str(out)) for a in args]
    result = cli(*args, url="postgresql+psycopg://nobody@127.0.0.1:1/x", timeout=60)
    assert_clean_failure(result, "database problem", "127.0.0.1")
    assert not out.exists()


def test_sqlite_file_in_a_missing_folder_gives_a_clear_error(tmp_path: Path) -> None:
    result = cli("init-db", url=url_of(tmp_path / "missing" / "ioa.db"))
    assert_clean_failure(result, "database problem", "unable to open database file")
