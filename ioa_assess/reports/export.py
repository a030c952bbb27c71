"""The whole database's responses and scores, for administrators (CLI export).

A response is the body's agreed answer: `agreement` is "single" (its only respondent's answer) or
"agreed" (by the agency lead, with its `reason`); `evidence` is "self", "documented" or "verified",
with `evidence_ref` the document, link or verifier."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import select

from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.reports.tables import to_csv, to_json, to_xlsx
from ioa_assess.scoring import DONT_KNOW, NOT_RELEVANT
from ioa_assess.services.scores import round_results
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Assessment, Body, County, Network, Respondent, Response, Round


def responses_frame() -> pd.DataFrame:
    query = (
        select(
            Network.name.label("network"),
            Round.id.label("round_id"),
            Round.name.label("round"),
            Round.questionnaire_version,
            Body.name.label("body"),
            County.name.label("county"),
            Body.kind,
            Body.municipality_number,
            Assessment.status,
            Response.question_id,
            Response.level,
            Response.comment,
            Response.agreement,
            Response.reason,
            Response.evidence,
            Response.evidence_ref,
            Respondent.label.label("respondent"),
            Response.updated_at,
        )
        .join(Assessment, Assessment.id == Response.assessment_id)
        .join(Round, Round.id == Assessment.round_id)
        .join(Network, Network.id == Round.network_id)
        .join(Body, Body.id == Assessment.body_id)
        .join(County, County.number == Body.county_number)
        .outerjoin(Respondent, Respondent.id == Response.respondent_id)
        .order_by(Network.name, Round.id, Body.name, Response.question_id)
    )
    with session_scope() as session:
        frame = pd.DataFrame(session.execute(query).all())
    if frame.empty:
        return frame
    frame["dimension"] = [
        load_questionnaire(v).dimension_of().get(q, "")
        for v, q in zip(frame["questionnaire_version"], frame["question_id"], strict=True)
    ]
    # v2 on: 0 is "don't know" and -1 "not relevant"; in a v1 round 0 is the combined answer.
    separate = frame["questionnaire_version"].map(
        {v: load_questionnaire(v).scale.separate_options for v in frame["questionnaire_version"].unique()}
    )
    frame["dont_know"] = (frame["level"] == DONT_KNOW) & separate
    frame["not_relevant"] = (frame["level"] == NOT_RELEVANT) | ((frame["level"] == DONT_KNOW) & ~separate)
    frame["level"] = frame["level"].astype("Int64").mask(frame["dont_know"] | frame["not_relevant"])
    return frame


def scores_frame() -> pd.DataFrame:
    rows = []
    with session_scope() as session:
        bodies = {b.id: b.name for b in session.scalars(select(Body))}
        for rnd in session.scalars(select(Round).order_by(Round.id)):
            for body_id, result in round_results(session, rnd.id, submitted_only=False).items():
                row = {"round_id": rnd.id, "round": rnd.name, "body": bodies[body_id]}
                row["overall"] = result.overall.value
                row |= {f"dim_{d}": s.value for d, s in result.dimensions.items()}
                row["answered"] = result.answered
                row["questions"] = result.total
                rows.append(row)
    return pd.DataFrame(rows)


def export_all(out: Path, fmt: str) -> int:
    responses = responses_frame()
    if fmt == "csv":
        data = to_csv(responses)
    elif fmt == "json":
        data = to_json(responses)
    else:
        data = to_xlsx({"responses": responses, "scores": scores_frame()})
    out.write_bytes(data)
    return len(responses)
