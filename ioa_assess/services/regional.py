"""The network seen from the region: maturity per county and per kind of body over rounds,
participation, and the gaps most bodies share. Aggregates only, each under the k rule."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select

from ioa_assess.peers import allowed, spread, withheld_groups
from ioa_assess.questionnaire import DEFAULT_VERSION, load_questionnaire
from ioa_assess.scoring import is_level
from ioa_assess.services.actor import Actor, NotFound, PermissionDenied
from ioa_assess.services.memo import cached
from ioa_assess.services.published import Snapshot, current_snapshot_id, load_snapshot
from ioa_assess.services.scores import body_info
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
        name = network.name
        round_ids = list(
            session.scalars(select(Round.id).where(Round.network_id == network_id).order_by(Round.opens_on))
        )
        members = session.execute(
            select(func.count(), func.sum(NetworkMember.body_id)).where(
                NetworkMember.network_id == network_id
            )
        ).one()
    snapshots = [(round_id, current_snapshot_id(round_id)) for round_id in round_ids]
    key = ("regional", network_id, name, tuple(snapshots), tuple(members))
    return cached(key, lambda: _regional_view(network_id, name, snapshots))


def _regional_view(network_id: int, name: str, snapshots: list[tuple[int, int | None]]) -> RegionalView:
    """Every figure from the rounds' published snapshots (see ioa_assess/peers.py)."""
    with session_scope() as session:
        rounds = {r.id: r for r in session.scalars(select(Round).where(Round.network_id == network_id))}
        members = list(
            session.scalars(select(NetworkMember.body_id).where(NetworkMember.network_id == network_id))
        )
        infos = body_info(session, members)
    trend_rows = []
    latest: Snapshot | None = None
    for order, (round_id, snapshot_id) in enumerate(snapshots):
        if snapshot_id is None:
            continue
        snapshot = latest = load_snapshot(snapshot_id)
        groups: dict[tuple[str, str], set[int]] = defaultdict(set)
        for body_id, value in snapshot.overall.items():
            if body_id in infos and value is not None:
                groups[("county", infos[body_id].county)].add(body_id)
                groups[("kind", infos[body_id].kind)].add(body_id)
                groups[("network", "")].add(body_id)
        # Nested groups that differ by fewer than k bodies would single those bodies out.
        hidden = withheld_groups({f"{t}:{g}": ids for (t, g), ids in groups.items()})
        for (group_type, group), ids in sorted(groups.items()):
            if group_type == "network":
                continue
            s = None if f"{group_type}:{group}" in hidden else spread([snapshot.overall[b] for b in ids])
            trend_rows.append(
                {
                    "round": rounds[round_id].name,
                    "order": order,
                    "group_type": group_type,
                    "group": group,
                    "bodies": s.n if s else None,
                    "median": s.median if s else None,
                    "q1": s.q1 if s else None,
                    "q3": s.q3 if s else None,
                }
            )
    participation = _participation(infos, latest.bodies if latest else {})
    gaps, dimensions = _shared_gaps(rounds[latest.round_id] if latest else None, latest)
    version = rounds[latest.round_id].questionnaire_version if latest else DEFAULT_VERSION
    return RegionalView(name, pd.DataFrame(trend_rows), participation, gaps, dimensions, version)


def _participation(infos: dict, results: dict) -> pd.DataFrame:  # type: ignore[type-arg]
    rows = []
    for county in sorted({i.county for i in infos.values()}):
        in_county = [b for b, i in infos.items() if i.county == county]
        submitted = sum(1 for b in in_county if b in results)
        shown = allowed(len(in_county))
        rows.append({"county": county, "members": len(in_county), "submitted": submitted if shown else None})
    return pd.DataFrame(rows)


def _shared_gaps(rnd: Round | None, snapshot: Snapshot | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    empty = (
        pd.DataFrame(columns=["question_id", "dimension_id", "bodies", "share_low", "median"]),
        pd.DataFrame(columns=["dimension_id", "bodies", "median"]),
    )
    if rnd is None or snapshot is None or not allowed(len(snapshot)):
        return empty
    questionnaire = load_questionnaire(rnd.questionnaire_version)
    levels = snapshot.levels
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
        values = [dims.get(dimension.id) for dims in snapshot.dimensions.values()]
        s = spread([v for v in values if v is not None])
        if s is not None:
            dims.append({"dimension_id": dimension.id, "bodies": s.n, "median": s.median})
    return gaps.reset_index(drop=True), pd.DataFrame(dims).sort_values("median").reset_index(drop=True)
