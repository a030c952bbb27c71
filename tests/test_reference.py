"""Public bodies from CSV: the shipped list, organisation numbers and all-or-nothing imports."""

from __future__ import annotations

from collections import Counter

import pytest

from ioa_assess.reference import (
    MAX_IMPORT_BYTES,
    BodyImportError,
    BodyRecord,
    parse_bodies_csv,
    reference_bodies,
    size_band,
    valid_org_number,
)

HEADER = "name,kind,county_number,municipality_number,population,official_written_standard,org_number"
BERGEN = "Bergen,municipality,46,4601,291940,Nøytral,"
KINN = "Kinn,municipality,46,4602,17349,Nynorsk,"
STAVANGER = "Stavanger,municipality,11,1103,149048,Bokmål,"
COUNCIL = "Vestland fylkeskommune,county_council,46,,,,"


# --- helpers ---------------------------------------------------------------------------


def csv_bytes(*rows: str, header: str = HEADER, sep: str = ",", encoding: str = "utf-8") -> bytes:
    lines = [header, *rows]
    return ("\n".join(line.replace(",", sep) for line in lines) + "\n").encode(encoding)


def import_problems(data: bytes) -> list[str]:
    """The problems of a rejected file; fails the test if the file is accepted."""
    with pytest.raises(BodyImportError) as info:
        parse_bodies_csv(data)
    assert str(info.value) == "; ".join(info.value.problems)
    return info.value.problems


def assert_only_problem(problems: list[str], prefix: str, fragment: str) -> None:
    assert len(problems) == 1, problems
    assert problems[0].startswith(prefix), problems
    assert fragment in problems[0], problems


# --- the shipped list ------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> list[BodyRecord]:
    return reference_bodies()


def test_shipped_list_has_108_bodies(shipped: list[BodyRecord]) -> None:
    assert len(shipped) == 108
    assert len({b.name.casefold() for b in shipped}) == 108


def test_shipped_municipalities_per_county(shipped: list[BodyRecord]) -> None:
    municipalities = [b for b in shipped if b.kind == "municipality"]
    assert len(municipalities) == 91
    assert Counter(b.county_number for b in municipalities) == {46: 43, 11: 23, 42: 25}
    assert all(b.municipality_number for b in municipalities)
    assert len({b.municipality_number for b in municipalities}) == 91


def test_shipped_county_councils(shipped: list[BodyRecord]) -> None:
    councils = [b for b in shipped if b.kind == "county_council"]
    assert sorted(b.county_number for b in councils) == [11, 42, 46]
    assert all(b.municipality_number is None for b in councils)


def test_shipped_first_row(shipped: list[BodyRecord]) -> None:
    assert shipped[0] == BodyRecord("Bergen", "municipality", 46, "4601", 291940, "neutral", None)


# --- organisation numbers --------------------------------------------------------------


@pytest.mark.parametrize("number", ["974760673", "971524960"])
def test_valid_org_numbers(number: str) -> None:
    assert valid_org_number(number)


@pytest.mark.parametrize("number", ["974760674", "12345678", "9747606730", "97476067a", "abcdefghi", ""])
def test_invalid_org_numbers(number: str) -> None:
    assert not valid_org_number(number)


def test_org_number_is_checked_on_import() -> None:
    good = parse_bodies_csv(csv_bytes("Bergen,municipality,46,4601,,,974 760 673"))
    assert good[0].org_number == "974760673"
    problems = import_problems(csv_bytes(BERGEN, "Kinn,municipality,46,4602,,,974760674"))
    assert_only_problem(problems, "row 3: ", "check digit")


# --- imports ---------------------------------------------------------------------------


def test_a_good_file_parses() -> None:
    records = parse_bodies_csv(csv_bytes(BERGEN, STAVANGER, COUNCIL))
    assert [r.name for r in records] == ["Bergen", "Stavanger", "Vestland fylkeskommune"]
    assert records[1] == BodyRecord("Stavanger", "municipality", 11, "1103", 149048, "bokmal", None)
    assert records[2].kind == "county_council"
    assert records[2].municipality_number is None


@pytest.mark.parametrize(
    ("bad_row", "fragment"),
    [
        ("Kinn,municipality,46,46x1,,,", "bad municipality number '46x1'"),
        ("Kinn,municipality,46,1101,,,", "municipality number 1101 does not belong to county 46"),
        ("Kinn,municipality,99,9901,,,", "unknown county '99'"),
        ("Bergen,municipality,46,4602,,,", "duplicate of row 2 (Bergen)"),
        ("BERGEN,municipality,46,4602,,,", "duplicate of row 2"),
        ("Kinn,municipality,46,4601,,,", "municipality number 4601 repeats row 2"),
        (",municipality,46,4602,,,", "name is missing"),
        ("Kinn,municipality,46,,,,", "a municipality needs its municipality number"),
        ("Kinn,planet,46,4602,,,", "unknown kind 'planet'"),
        ("Kinn,municipality,46,4602,many,,", "population 'many' is not a whole number"),
    ],
)
def test_a_bad_row_is_named_with_its_reason(bad_row: str, fragment: str) -> None:
    problems = import_problems(csv_bytes(BERGEN, bad_row))
    assert_only_problem(problems, "row 3: ", fragment)


def test_three_bad_rows_are_all_reported() -> None:
    data = csv_bytes(
        BERGEN,
        "Kinn,municipality,46,46x1,,,",  # row 3
        STAVANGER,
        ",municipality,11,1108,,,",  # row 5
        "Agder fylkeskommune,county_council,99,,,,",  # row 6
    )
    problems = import_problems(data)
    assert [p.split(":")[0] for p in problems] == ["row 3", "row 5", "row 6"]
    assert "bad municipality number" in problems[0]
    assert "name is missing" in problems[1]
    assert "unknown county '99'" in problems[2]


def test_a_file_in_neither_utf8_nor_windows_1252_is_rejected() -> None:
    problems = import_problems(csv_bytes(BERGEN).replace(b"Bergen", b"Berg\x81en"))
    assert_only_problem(problems, "the file is neither UTF-8 nor Windows-1252", "CSV UTF-8")


def test_missing_required_column() -> None:
    header = "name,kind,municipality_number"
    problems = import_problems(csv_bytes("Bergen,municipality,4601", header=header))
    assert_only_problem(problems, "the header lacks", "county_number")


def test_over_long_file_is_rejected() -> None:
    rows = [f"Kommune {i},municipality,46,46{i % 100:02d},,," for i in range(30_000)]
    data = csv_bytes(*rows)
    assert len(data) > MAX_IMPORT_BYTES
    assert_only_problem(import_problems(data), "the file is larger than", "kB")


def test_header_only_file_has_no_rows() -> None:
    assert_only_problem(import_problems(csv_bytes()), "the file has no rows", "no rows")


def test_semicolon_separated_file() -> None:
    rows = (BERGEN, STAVANGER, COUNCIL)
    assert parse_bodies_csv(csv_bytes(*rows, sep=";")) == parse_bodies_csv(csv_bytes(*rows))


def test_byte_order_mark_is_accepted() -> None:
    data = csv_bytes(BERGEN, KINN)
    assert parse_bodies_csv(b"\xef\xbb\xbf" + data) == parse_bodies_csv(data)


def test_excel_style_file_with_bom_semicolons_and_crlf() -> None:
    data = b"\xef\xbb\xbf" + csv_bytes(BERGEN, KINN, sep=";").replace(b"\n", b"\r\n")
    assert [r.name for r in parse_bodies_csv(data)] == ["Bergen", "Kinn"]


def test_norwegian_aliases() -> None:
    records = parse_bodies_csv(csv_bytes("Bergen,kommune,46,4601,,nynorsk,", "Agder,fylkeskommune,42,,,,"))
    assert [(r.kind, r.written_standard) for r in records] == [
        ("municipality", "nynorsk"),
        ("county_council", "neutral"),
    ]


# --- size bands ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "band"),
    [
        (0, "under_5k"),
        (4_999, "under_5k"),
        (5_000, "5k_20k"),
        (19_999, "5k_20k"),
        (20_000, "over_20k"),
        (291_940, "over_20k"),
        (None, None),
    ],
)
def test_size_band(population: int | None, band: str | None) -> None:
    assert size_band(population) == band
