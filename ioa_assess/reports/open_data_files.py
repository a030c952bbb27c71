"""The open-data files: CSV for spreadsheets, JSON for programs, each with a data dictionary.

CSV files are UTF-8 with a byte order mark, separated by semicolons, with decimal commas: that is
what a spreadsheet with Norwegian settings expects (the comma is the decimal mark there, so its list
separator is the semicolon, and the mark tells it the file is UTF-8, so æøå arrive intact). The
JSON file carries the same numbers as numbers, with the metadata, the dictionary and the licence.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from ioa_assess.i18n import N_, translate
from ioa_assess.reports.cohort_tables import kind_name
from ioa_assess.services.open_data import OVERALL, Aggregate, OpenData

CSV_SEPARATOR = ";"
LICENCE_URLS = {"CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/"}
COLUMNS = (
    ("group_type", N_("Kind of group: network (all bodies), county or kind (kind of body).")),
    ("group", N_("The county's name or the kind of body; empty for the whole network.")),
    ("measure_type", N_("overall (overall maturity), dimension or question.")),
    ("measure", N_("Identifier of the measure: overall, a dimension id or a question id.")),
    ("measure_name", N_("The measure's name in the questionnaire.")),
    ("dimension", N_("The dimension the measure belongs to (empty for overall).")),
    ("bodies", N_("Number of bodies behind the figures (submitted assessments with an answer).")),
    ("median", N_("Median maturity on the scale 1 to 5.")),
    ("q1", N_("Lower quartile: a quarter of the bodies are at or below it.")),
    ("q3", N_("Upper quartile: three quarters of the bodies are at or below it.")),
    (
        "withheld",
        N_(
            "Why the figures are empty: too_few (fewer than k bodies) or differencing (the group "
            "differs from another published group by fewer than k bodies)."
        ),
    ),
)
FILES = ("dimensions.csv", "questions.csv", "dictionary.csv", "open-data.json")


def _measure_name(data: OpenData, row: Aggregate, lang: str) -> str:
    if row.measure == OVERALL:
        return translate(lang, "Overall maturity")
    if row.measure_type == "dimension":
        return data.questionnaire.dimension(row.measure).name.get(lang)
    return data.questionnaire.question(row.measure).title.get(lang)


def _group_name(row: Aggregate, lang: str) -> str:
    return kind_name(row.group, lang) if row.group_type == "kind" else row.group


def _records(data: OpenData, rows: list[Aggregate], lang: str) -> list[dict[str, object]]:
    return [
        {
            "group_type": r.group_type,
            "group": _group_name(r, lang),
            "measure_type": r.measure_type,
            "measure": r.measure,
            "measure_name": _measure_name(data, r, lang),
            "dimension": r.dimension,
            "bodies": r.bodies,
            "median": None if r.median is None else round(r.median, 2),
            "q1": None if r.q1 is None else round(r.q1, 2),
            "q3": None if r.q3 is None else round(r.q3, 2),
            "withheld": r.withheld,
        }
        for r in rows
    ]


def _csv(records: list[dict[str, object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_SEPARATOR, lineterminator="\r\n")
    writer.writerow([name for name, _ in COLUMNS])
    for record in records:
        writer.writerow([_cell(record[name]) for name, _ in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def dictionary(data: OpenData, lang: str) -> list[dict[str, str]]:
    return [{"column": name, "meaning": translate(lang, meaning)} for name, meaning in COLUMNS]


def metadata(data: OpenData, lang: str) -> dict[str, object]:
    return {
        "title": translate(
            lang,
            "Maturity in innovative public procurement: {network}, {round}",
            network=data.network,
            round=data.round_name,
        ),
        "network": data.network,
        "round": data.round_name,
        "round_closed": data.round_closed,
        "questionnaire_version": data.questionnaire_version,
        "k": data.k,
        "rule": translate(
            lang,
            "Figures are shown only for at least {k} bodies, and not for a group that differs from "
            "another published group by fewer than {k} bodies. Only submitted assessments count; no "
            "body is named.",
            k=data.k,
        ),
        "submitted_bodies": data.submitted,
        "licence": data.licence,
        "licence_url": LICENCE_URLS.get(data.licence, ""),
        "generated_on": data.generated_on.isoformat(),
        "language": lang,
        "csv_format": translate(
            lang,
            "UTF-8 with a byte order mark, separated by semicolons, with decimal commas "
            "(as spreadsheets with Norwegian settings expect).",
        ),
    }


def files(data: OpenData, lang: str = "nb") -> dict[str, bytes]:
    """File name -> content."""
    dimensions = [a for a in data.aggregates if a.measure_type != "question"]
    questions = [a for a in data.aggregates if a.measure_type == "question"]
    words = dictionary(data, lang)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_SEPARATOR, lineterminator="\r\n")
    writer.writerow(["column", "meaning"])
    writer.writerows([[w["column"], w["meaning"]] for w in words])
    meta = metadata(data, lang)
    writer.writerows([[], ["k", str(data.k)], ["questionnaire_version", data.questionnaire_version]])
    writer.writerow(["licence", f"{data.licence} {meta['licence_url']}".strip()])
    document = {
        **meta,
        "dictionary": words,
        "dimensions": _records(data, dimensions, lang),
        "questions": _records(data, questions, lang),
    }
    return {
        "dimensions.csv": _csv(_records(data, dimensions, lang)),
        "questions.csv": _csv(_records(data, questions, lang)),
        "dictionary.csv": ("\ufeff" + out.getvalue()).encode("utf-8"),
        "open-data.json": json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"),
    }


def write_open_data(data: OpenData, folder: Path, lang: str = "nb") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files(data, lang).items():
        path = folder / name
        path.write_bytes(content)
        written.append(path)
    return written


def zip_bytes(data: OpenData, lang: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files(data, lang).items():
            archive.writestr(name, content)
    return buffer.getvalue()
