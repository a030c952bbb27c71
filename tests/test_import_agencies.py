"""import-agencies with the files people really have: Excel's CSV, clashing rows, huge fields; and
an administrator's corrections that later imports and init-db keep (real files, the real CLI)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.test_cli import HEADER, assert_clean_failure, cli, dump, sql, url_of


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database made by `init-db` alone; each test gets a copy."""
    path = tmp_path_factory.mktemp("init") / "init.db"
    result = cli("init-db", url=url_of(path))
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def fresh_init(initialised: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ioa.db"
    shutil.copy(initialised, target)
    return target


BERGEN_CORRECTED = "Bergen kommune,municipality,46,4601,300000,Bokmål,964338531"


def _file(tmp_path: Path, name: str, *rows: str, encoding: str = "utf-8", sep: str = ",") -> Path:
    path = tmp_path / name
    lines = [HEADER, *rows]
    path.write_bytes(("\r\n".join(line.replace(",", sep) for line in lines) + "\r\n").encode(encoding))
    return path


def _bergen(db: Path) -> tuple[object, ...]:
    query = (
        "SELECT name, population, written_standard, org_number FROM bodies WHERE municipality_number = '4601'"
    )
    return sql(db, query)[0]


# --- item 4: corrections stick --------------------------------------------------------------------


def test_a_corrected_reference_body_survives_later_imports_and_init_db(
    fresh_init: Path, tmp_path: Path
) -> None:
    url = url_of(fresh_init)
    result = cli("import-agencies", str(_file(tmp_path, "bergen.csv", BERGEN_CORRECTED)), url=url)
    assert result.returncode == 0, result.stderr
    corrected = ("Bergen kommune", 300000, "bokmal", "964338531")
    assert _bergen(fresh_init) == corrected
    other = _file(tmp_path, "other.csv", "Nye Øyane kommune,municipality,46,4699,1200,Nynorsk,")
    assert cli("import-agencies", str(other), url=url).returncode == 0
    assert _bergen(fresh_init) == corrected
    assert cli("init-db", url=url).returncode == 0
    assert cli("init-db", url=url).returncode == 0
    assert _bergen(fresh_init) == corrected
    # The shipped list did not come back as a second Bergen either.
    assert sql(fresh_init, "SELECT count(*) FROM bodies WHERE name IN ('Bergen', 'Bergen kommune')") == [(1,)]


# --- item 8: rough edges --------------------------------------------------------------------------


def test_norwegian_excel_csv_in_windows_1252_with_semicolons_is_accepted(
    fresh_init: Path, tmp_path: Path
) -> None:
    path = _file(
        tmp_path,
        "excel.csv",
        "Blåbærøy etat,statlig virksomhet,46,,,Nynorsk,",
        "Sørøy kommune,kommune,46,4696,800,Bokmål,",
        encoding="cp1252",
        sep=";",
    )
    assert b"Bl\xe5b\xe6r\xf8y" in path.read_bytes()  # really a Windows-1252 file
    result = cli("import-agencies", str(path), url=url_of(fresh_init))
    assert result.returncode == 0, result.stderr
    assert "read as Windows-1252, fields separated by semicolons" in result.stdout
    assert "2 bodies added" in result.stdout
    rows = sql(
        fresh_init, "SELECT name FROM bodies WHERE name IN ('Blåbærøy etat', 'Sørøy kommune') ORDER BY name"
    )
    assert rows == [("Blåbærøy etat",), ("Sørøy kommune",)]


def test_a_utf8_file_says_so(fresh_init: Path, tmp_path: Path) -> None:
    path = _file(tmp_path, "utf8.csv", "Blåbærøy etat,statlig virksomhet,46,,,Nynorsk,")
    result = cli("import-agencies", str(path), url=url_of(fresh_init))
    assert result.returncode == 0, result.stderr
    assert "read as UTF-8, fields separated by commas" in result.stdout


def _rejected(db: Path, path: Path, *needles: str) -> None:
    before = dump(db)
    result = cli("import-agencies", str(path), url=url_of(db))
    assert_clean_failure(result, str(path), "nothing was imported", *needles)
    assert dump(db) == before


def test_a_field_over_the_csv_limit_is_a_row_message(fresh_init: Path, tmp_path: Path) -> None:
    huge = "Etat " + "x" * 131_073
    path = _file(
        tmp_path, "huge.csv", "Blåbærøy etat,statlig virksomhet,46,,,Nynorsk,", f"{huge},kommune,46,4696,,,"
    )
    _rejected(fresh_init, path, "row 3: a field is longer than 131,072 characters")


def test_duplicate_organisation_numbers_in_the_file(fresh_init: Path, tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "dup.csv",
        "Etat en,statlig virksomhet,46,,,Nynorsk,974760673",
        "Etat to,statlig virksomhet,46,,,Nynorsk,974760673",
    )
    _rejected(fresh_init, path, "row 3: organisation number 974760673 repeats row 2")


def test_an_organisation_number_another_body_holds(fresh_init: Path, tmp_path: Path) -> None:
    url = url_of(fresh_init)
    first = _file(tmp_path, "first.csv", "Etat en,statlig virksomhet,46,,,Nynorsk,974760673")
    assert cli("import-agencies", str(first), url=url).returncode == 0
    second = _file(
        tmp_path,
        "second.csv",
        "Nye Øyane kommune,municipality,46,4699,1200,Nynorsk,",
        "Etat to,statlig virksomhet,46,,,Nynorsk,974760673",
    )
    _rejected(fresh_init, second, "row 3: organisation number 974760673 belongs to Etat en")
    assert "row 2" not in cli("import-agencies", str(second), url=url).stderr


def test_a_rename_onto_a_name_in_use(fresh_init: Path, tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "rename.csv",
        "Nye Øyane kommune,municipality,46,4699,1200,Nynorsk,",
        "Stavanger,municipality,46,4601,291940,,",
    )
    _rejected(
        fresh_init,
        path,
        "row 3: municipality number 4601 belongs to Bergen, which cannot be renamed Stavanger",
    )
