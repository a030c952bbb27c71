"""Public bodies from CSV: the shipped reference lists and user imports (validated all-or-nothing)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ioa_assess.config import REFERENCE_DIR

COUNTIES: dict[int, str] = {46: "Vestland", 11: "Rogaland", 42: "Agder"}
KIND_ALIASES = {
    "municipality": "municipality",
    "kommune": "municipality",
    "county_council": "county_council",
    "fylkeskommune": "county_council",
    "health_trust": "health_trust",
    "helseforetak": "health_trust",
    "state_agency": "state_agency",
    "statleg verksemd": "state_agency",
    "statlig virksomhet": "state_agency",
}
STANDARD_ALIASES = {
    "nynorsk": "nynorsk",
    "bokmål": "bokmal",
    "bokmal": "bokmal",
    "nøytral": "neutral",
    "noytral": "neutral",
    "neutral": "neutral",
    "": "neutral",
}
MAX_IMPORT_BYTES = 1_000_000
MAX_NAME_LENGTH = 200
REQUIRED_COLUMNS = ("name", "kind", "county_number")
# Municipal population bands: narrow enough to be "similar", wide enough to pass the k rule.
SIZE_BANDS = ((5_000, "under_5k"), (20_000, "5k_20k"))


@dataclass(frozen=True)
class BodyRecord:
    name: str
    kind: str
    county_number: int
    municipality_number: str | None = None
    population: int | None = None
    written_standard: str = "neutral"
    org_number: str | None = None
    line: int = field(default=0, compare=False)  # the row's line in its file, for messages


class BodyImportError(ValueError):
    """A file that was rejected whole; `problems` lists every bad row with its reason."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def valid_org_number(number: str) -> bool:
    """Norwegian organisation number: nine digits with a modulus-11 check digit."""
    if not re.fullmatch(r"[89]\d{8}", number):
        return False
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    remainder = sum(int(d) * w for d, w in zip(number[:8], weights, strict=True)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return check != 10 and check == int(number[8])


# What spreadsheets save as CSV: UTF-8 ("CSV UTF-8"), or in Norway Windows-1252 with semicolons
# (Excel's plain "CSV"). UTF-8 is tried first: Windows-1252 text is almost never valid UTF-8.
ENCODINGS = (("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252"))
DELIMITER_NAMES = {",": "commas", ";": "semicolons"}


def _decode(data: bytes) -> tuple[str, str]:
    """The text and the name of the encoding it was read with."""
    for codec, name in ENCODINGS:
        try:
            return data.decode(codec), name
        except UnicodeDecodeError:
            continue
    raise BodyImportError(["the file is neither UTF-8 nor Windows-1252 text; save it as CSV UTF-8"])


def _row_to_record(row: dict[str, str]) -> tuple[BodyRecord | None, list[str]]:
    problems: list[str] = []
    name = (row.get("name") or "").strip()
    if not name:
        problems.append("name is missing")
    elif len(name) > MAX_NAME_LENGTH:
        problems.append(f"name is longer than {MAX_NAME_LENGTH} characters")
    elif "\x00" in name or any(ord(c) < 32 for c in name):
        problems.append("name contains control characters")
    kind = KIND_ALIASES.get((row.get("kind") or "municipality").strip().lower())
    if kind is None:
        problems.append(
            f"unknown kind '{row.get('kind')}' (use {', '.join(sorted(set(KIND_ALIASES.values())))})"
        )
    county_raw = (row.get("county_number") or "").strip()
    county = int(county_raw) if county_raw.isdigit() else None
    if county not in COUNTIES:
        problems.append(f"unknown county '{county_raw}' (use 46 Vestland, 11 Rogaland or 42 Agder)")
    number = (row.get("municipality_number") or "").strip() or None
    if number is not None:
        if not re.fullmatch(r"\d{4}", number):
            problems.append(f"bad municipality number '{number}' (four digits)")
        elif county is not None and number[:2] != f"{county:02d}":
            problems.append(f"municipality number {number} does not belong to county {county}")
        if kind not in (None, "municipality"):
            problems.append("only municipalities have a municipality number")
    elif kind == "municipality":
        problems.append("a municipality needs its municipality number")
    population_raw = "".join(c for c in (row.get("population") or "") if not c.isspace())
    population = int(population_raw) if population_raw.isdigit() else None
    if population_raw and population is None:
        problems.append(f"population '{population_raw}' is not a whole number")
    standard = STANDARD_ALIASES.get((row.get("official_written_standard") or "").strip().lower())
    if standard is None:
        problems.append(f"unknown written standard '{row.get('official_written_standard')}'")
    org = (row.get("org_number") or "").strip().replace(" ", "") or None
    if org is not None and not valid_org_number(org):
        problems.append(f"organisation number '{org}' fails the check digit")
    if problems:
        return None, problems
    assert kind is not None and county is not None and standard is not None
    return BodyRecord(name, kind, county, number, population, standard, org), []


@dataclass(frozen=True)
class BodyFile:
    records: list[BodyRecord]
    encoding: str  # "UTF-8" or "Windows-1252"
    delimiter: str  # "," or ";"

    def describe(self) -> str:
        return f"read as {self.encoding}, fields separated by {DELIMITER_NAMES[self.delimiter]}"


def parse_bodies_csv(data: bytes) -> list[BodyRecord]:
    """Every row valid, or BodyImportError with every bad row's number and reason."""
    return read_bodies_csv(data).records


def read_bodies_csv(data: bytes) -> BodyFile:
    """The file's rows (all valid, or BodyImportError with every bad row), and how it was read."""
    if len(data) > MAX_IMPORT_BYTES:
        raise BodyImportError([f"the file is larger than {MAX_IMPORT_BYTES // 1000} kB"])
    text, encoding = _decode(data)
    if "\x00" in text:
        raise BodyImportError(["the file contains NUL bytes; it is not a CSV text file"])
    header = text.splitlines()[0] if text else ","
    delimiter = ";" if header.count(";") > header.count(",") else ","
    # Only the delimiter is guessed (from the header); quoting is always the standard one, so that a
    # name with quotes or commas in it, quoted as spreadsheets write it, is read back exactly.
    reader = csv.DictReader(io.StringIO(text), dialect=csv.excel, delimiter=delimiter)
    records: list[BodyRecord] = []
    problems: list[str] = []
    lines_read = [1]  # the last line of each row read, the header's first
    try:
        columns = [c.strip() for c in (reader.fieldnames or [])]
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise BodyImportError([f"the header lacks the column(s) {', '.join(missing)}"])
        reader.fieldnames = columns
        _read_rows(reader, records, problems, lines_read)
    except csv.Error as exc:
        # The csv module stops at a field over its limit (or a broken quote): say where, not how.
        reason = (
            f"a field is longer than {csv.field_size_limit():,} characters"
            if "field larger than field limit" in str(exc)
            else f"the row cannot be read as CSV ({exc})"
        )
        problems.append(f"row {lines_read[-1] + 1}: {reason}")
    if problems:
        raise BodyImportError(problems)
    if not records:
        raise BodyImportError(["the file has no rows"])
    return BodyFile(records, encoding, delimiter)


def _read_rows(
    reader: csv.DictReader[str], records: list[BodyRecord], problems: list[str], lines_read: list[int]
) -> None:
    seen_names: dict[str, int] = {}
    seen_numbers: dict[str, int] = {}
    seen_orgs: dict[str, int] = {}
    for row in reader:
        line = reader.line_num  # the line in the file, so blank lines do not shift the numbers
        lines_read.append(line)
        if None in row:
            problems.append(f"row {line}: more fields than columns")
            continue
        record, row_problems = _row_to_record(row)
        if record is not None:
            key = record.name.casefold()
            if key in seen_names:
                row_problems.append(f"duplicate of row {seen_names[key]} ({record.name})")
            if record.municipality_number and record.municipality_number in seen_numbers:
                row_problems.append(
                    f"municipality number {record.municipality_number} repeats row "
                    f"{seen_numbers[record.municipality_number]}"
                )
            if record.org_number and record.org_number in seen_orgs:
                row_problems.append(
                    f"organisation number {record.org_number} repeats row {seen_orgs[record.org_number]}"
                )
            seen_names.setdefault(key, line)
            if record.municipality_number:
                seen_numbers.setdefault(record.municipality_number, line)
            if record.org_number:
                seen_orgs.setdefault(record.org_number, line)
        problems += [f"row {line}: {p}" for p in row_problems]
        if record is not None and not row_problems:
            records.append(replace(record, line=line))


def reference_bodies(directory: Path = REFERENCE_DIR) -> list[BodyRecord]:
    """The shipped list: 91 municipalities and the county councils and state bodies."""
    return parse_bodies_csv((directory / "bodies.csv").read_bytes())


def size_band(record_population: int | None) -> str | None:
    """Population band used to compare municipalities of similar size."""
    if record_population is None:
        return None
    for limit, band in SIZE_BANDS:
        if record_population < limit:
            return band
    return "over_20k"
