"""Open data: a round's aggregates for anyone to reuse, under the k rule and the differencing rule.

Only submitted assessments in the round's published snapshot count (see peers.py: it moves only
when at least k more bodies have submitted). For every measure (overall, each dimension, each question) and
every group (the network, each county, each kind of body) the file gives the number of bodies, the
median and the quartiles; never a minimum, maximum or mean, and never a body's name or code. A
group is withheld when fewer than k bodies have a value for the measure, or when it differs from
another published group by fewer than k bodies (comparing the two would single those bodies out);
this is checked per measure, since "don't know" answers make the groups differ from one measure
to the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ioa_assess.config import k_anonymity, open_data_licence
from ioa_assess.peers import TOO_FEW, spread, withheld_groups
from ioa_assess.questionnaire import Questionnaire, load_questionnaire
from ioa_assess.scoring import is_level
from ioa_assess.services.actor import Actor
from ioa_assess.services.cohort import _round_in_network
from ioa_assess.services.published import round_snapshot
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Network

OVERALL = "overall"


@dataclass(frozen=True)
class Aggregate:
    group_type: str  # network, county, kind
    group: str  # county name or kind id; "" for the network
    measure_type: str  # overall, dimension, question
    measure: str  # "overall", a dimension id or a question id
    dimension: str  # the dimension the measure belongs to ("" for overall)
    bodies: int | None  # None when withheld
    median: float | None
    q1: float | None
    q3: float | None
    withheld: str  # "", "too_few" or "differencing"


@dataclass(frozen=True)
class OpenData:
    network: str
    round_id: int
    round_name: str
    round_closed: bool
    questionnaire: Questionnaire
    questionnaire_version: str  # as the round names it, e.g. ioa-v1
    k: int
    licence: str
    generated_on: date
    submitted: int
    aggregates: list[Aggregate]


def _measures(questionnaire: Questionnaire) -> list[tuple[str, str, str]]:
    """(measure type, measure id, dimension id) in questionnaire order."""
    measures = [("overall", OVERALL, "")]
    for dimension in questionnaire.dimensions:
        measures.append(("dimension", dimension.id, dimension.id))
        measures += [("question", q.id, dimension.id) for q in questionnaire.questions_in(dimension.id)]
    return measures


def open_data(actor: Actor, round_id: int, today: date | None = None) -> OpenData:
    """The round's aggregates; for those who see the network's aggregates (facilitators, regional
    leaders, administrators)."""
    k = k_anonymity()
    with session_scope() as session:
        rnd = _round_in_network(session, actor, round_id)
        network = session.get(Network, rnd.network_id)
        questionnaire = load_questionnaire(rnd.questionnaire_version)
        round_name, closed, version = rnd.name, rnd.closed_at is not None, rnd.questionnaire_version
        network_name = network.name if network else ""
    # The published snapshot, as every page shows it: the files move only when k more bodies have
    # submitted, so two downloads a day apart cannot be subtracted to find one body's scores.
    snapshot = round_snapshot(round_id)
    covered = list(snapshot.bodies) if snapshot else []
    members: dict[tuple[str, str], set[int]] = {("network", ""): set(covered)}
    for body_id in covered:
        members.setdefault(("county", snapshot.bodies[body_id].county), set()).add(body_id)
        members.setdefault(("kind", snapshot.bodies[body_id].kind), set()).add(body_id)
    order = sorted(members, key=lambda g: (("network", "county", "kind").index(g[0]), g[1]))

    def value(body_id: int, measure_type: str, measure: str) -> float | None:
        if measure_type == "overall":
            return snapshot.overall[body_id]
        if measure_type == "dimension":
            return snapshot.dimensions[body_id].get(measure)
        level = snapshot.levels[body_id].get(measure)
        return float(level) if is_level(level) else None

    aggregates = []
    for measure_type, measure, dimension in _measures(questionnaire):
        values = {b: v for b in covered if (v := value(b, measure_type, measure)) is not None}
        groups = {f"{t}:{g}": members[(t, g)] & values.keys() for t, g in order}
        hidden = withheld_groups(groups, k)
        for group_type, group in order:
            key = f"{group_type}:{group}"
            reason = hidden.get(key, "")
            s = None if reason else spread([values[b] for b in groups[key]], k)
            reason = reason or ("" if s else TOO_FEW)
            aggregates.append(
                Aggregate(
                    group_type,
                    group,
                    measure_type,
                    measure,
                    dimension,
                    s.n if s else None,
                    s.median if s else None,
                    s.q1 if s else None,
                    s.q3 if s else None,
                    reason,
                )
            )
    return OpenData(
        network=network_name,
        round_id=round_id,
        round_name=round_name,
        round_closed=closed,
        questionnaire=questionnaire,
        questionnaire_version=version,
        k=k,
        licence=open_data_licence(),
        generated_on=today or date.today(),
        submitted=len(covered),
        aggregates=aggregates,
    )
