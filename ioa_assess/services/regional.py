"""The network seen from the region: maturity per county and per kind of body over rounds,
participation, and the gaps most bodies share. Aggregates only, each under the k rule."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select

from ioa_assess.peers import allowed, spread, withheld_groups
from ioa_assess.questionnaire import DEFAULT_VERSION, load_questionnaire
from ioa_assess.scoring import is_level
from ioa_assess.services.actor import Actor, NotFound, PermissionDenied
from ioa_assess.services.scores import body_info, round_levels, round_results
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Network, NetworkMember, Round

LOW_LEVELS = (1, 2)


@dataclass(frozen=True)
class RegionalView:
    network_name: str
    trend: pd.DataFrame  # round, order, group_type (county/kind), group, bodies, median, q1, q3
    participation: pd.DataFrame  # county, members, submitted (None when fewer than k members)
    shared_gaps: pd.DataFrame  # question_id, dimension_id, bodies, share_low, median
    dimension_medians: pd.DataFrame  # dimension_id, bodies, median
    questionnaire_version: str = DEFAULT_VERSION  # of the latest round with results (the gaps' questions)


def regional_view(actor: Actor, network_id: int | None = None) -> RegionalView:
    network_id = network_id if network_id is not None else actor.network_id
    if network_id is None and actor.is_admin:
        with session_scope() as session:
            network_id = session.scalar(select(Network.id).order_by(Network.id))
    if network_id is None:
        raise NotFound("There is no network yet.")
    if not actor.sees_network_aggregates(network_id):
        raise PermissionDenied("You do not have access to this network.")
    with session_scope() as session:
        network = session.get(Network, network_id)
        if network is None:
            raise NotFound("There is no network yet.")
        rounds = list(
            session.scalars(select(Round).where(Round.network_id == network_id).order_by(Round.opens_on))
        )
        members = list(
            session.scalars(select(NetworkMember.body_id).where(NetworkMember.network_id == network_id))
        )
        infos = body_info(session, members)
        trend_rows = []
        latest_results = {}
        for order, rnd in enumerate(rounds):
            results = round_results(session, rnd.id)
            if results:
                latest_results, latest_round = results, rnd
            groups: dict[tuple[str, str], set[int]] = defaultdict(set)
            for body_id, result in results.items():
                if body_id in infos and result.overall.value is not None:
                    groups[("county", infos[body_id].county)].add(body_id)
                    groups[("kind", infos[body_id].kind)].add(body_id)
                    groups[("network", "")].add(body_id)
            # Nested groups that differ by fewer than k bodies would single those bodies out.
            hidden = withheld_groups({f"{t}:{g}": ids for (t, g), ids in groups.items()})
            for (group_type, group), ids in sorted(groups.items()):
                if group_type == "network":
                    continue
                s = (
                    None
                    if f"{group_type}:{group}" in hidden
                    else spread([results[b].overall.value for b in ids])
                )
                trend_rows.append(
                    {
                        "round": rnd.name,
                        "order": order,
                        "group_type": group_type,
                        "group": group,
                        "bodies": s.n if s else None,
                        "median": s.median if s else None,
                        "q1": s.q1 if s else None,
                        "q3": s.q3 if s else None,
                    }
                )
        participation = _participation(infos, latest_results)
        gaps, dimensions = _shared_gaps(session, latest_round if latest_results else None, latest_results)
        version = latest_round.questionnaire_version if latest_results else DEFAULT_VERSION
        return RegionalView(network.name, pd.DataFrame(trend_rows), participation, gaps, dimensions, version)


def _participation(infos: dict, results: dict) -> pd.DataFrame:  # type: ignore[type-arg]
    rows = []
    for county in sorted({i.county for i in infos.values()}):
        in_county = [b for b, i in infos.items() if i.county == county]
        submitted = sum(1 for b in in_county if b in results)
        shown = allowed(len(in_county))
        rows.append({"county": county, "members": len(in_county), "submitted": submitted if shown else None})
    return pd.DataFrame(rows)


def _shared_gaps(session, rnd: Round | None, results: dict) -> tuple[pd.DataFrame, pd.DataFrame]:  # type: ignore[no-untyped-def,type-arg]
    empty = (
        pd.DataFrame(columns=["question_id", "dimension_id", "bodies", "share_low", "median"]),
        pd.DataFrame(columns=["dimension_id", "bodies", "median"]),
    )
    if rnd is None or not allowed(len(results)):
        return empty
    questionnaire = load_questionnaire(rnd.questionnaire_version)
    levels = round_levels(session, rnd.id)
    rows = []
    for question in questionnaire.questions:
        values = [lv[question.id] for lv in levels.values() if is_level(lv.get(question.id))]
        s = spread(values)
        if s is None:
            continue
        low = sum(1 for v in values if v in LOW_LEVELS) / len(values)
        rows.append(
            {
                "question_id": question.id,
                "dimension_id": question.dimension,
                "bodies": s.n,
                "share_low": low,
                "median": s.median,
            }
        )
    gaps = pd.DataFrame(rows).sort_values(["share_low", "median"], ascending=[False, True])
    dims = []
    for dimension in questionnaire.dimensions:
        values = [r.dimensions[dimension.id].value for r in results.values()]
        s = spread([v for v in values if v is not None])
        if s is not None:
            dims.append({"dimension_id": dimension.id, "bodies": s.n, "median": s.median})
    return gaps.reset_index(drop=True), pd.DataFrame(dims).sort_values("median").reset_index(drop=True)
