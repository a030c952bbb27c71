"""What one saved answer costs in the service, for the body's only voice and for one of several.

An answer is always stored in the person's own set; while one person answers for the body it is
also the body's answer, and with several the body's answers wait for the agency lead. Both paths
are timed against the floor: the one upsert of the answer and nothing else, on the same database.

    .venv/bin/python bench/save_answer.py [--saves 400]

Prints the median per save (process CPU time) and the ratios to the floor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=400)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ioa-save-bench-"))
    os.environ["IOA_DATABASE_URL"] = f"sqlite:///{folder / 'bench.db'}"

    from sqlalchemy import text

    from ioa_assess.questionnaire import load_questionnaire
    from ioa_assess.seed import seed_demo
    from ioa_assess.services.accounts import redeem_invitation
    from ioa_assess.services.actor import SYSTEM
    from ioa_assess.services.assessments import open_assessment, save_answer
    from ioa_assess.services.network_admin import issue_codes
    from ioa_assess.storage.engine import session_scope

    seed_demo(agencies=72, rounds=2)  # the demo network: 17 bodies have not started the open round
    with session_scope() as session:
        round_id, body_ids = session.execute(
            text(
                "SELECT r.id, group_concat(m.body_id) FROM rounds r JOIN network_members m "
                "ON m.network_id = r.network_id WHERE r.closed_at IS NULL GROUP BY r.id"
            )
        ).one()
    untouched = [int(b) for b in body_ids.split(",") if not _has_assessment(session_scope, int(b), round_id)]
    alone_body, several_body = untouched[:2]
    questions = [q.id for q in load_questionnaire(_version(session_scope, round_id)).questions]

    def person(body_id: int):  # type: ignore[no-untyped-def]
        return redeem_invitation(issue_codes(SYSTEM, round_id, [body_id])[0].code)

    alone = person(alone_body)
    several = [person(several_body) for _ in range(3)]
    for colleague in several[:2]:
        state = open_assessment(colleague)
        for question_id in questions:
            save_answer(colleague, state.id, question_id, level=2)

    def timed(actor, assessment_id: int) -> list[float]:  # type: ignore[no-untyped-def]
        times = []
        for index in range(args.saves):
            started = time.process_time()
            save_answer(actor, assessment_id, questions[index % len(questions)], level=1 + index % 5)
            times.append(time.process_time() - started)
        return times

    alone_times = timed(alone, open_assessment(alone).id)
    several_times = timed(several[2], open_assessment(several[2]).id)
    floor_times = _floor(session_scope, open_assessment(alone).id, questions, args.saves)
    floor = statistics.median(floor_times)
    for name, times in (("only voice", alone_times), ("one of three", several_times), ("floor", floor_times)):
        median = statistics.median(times)
        print(f"{name:>13}: {median * 1000:6.2f} ms per save, {median / floor:4.1f}x the floor")


def _has_assessment(session_scope, body_id: int, round_id: int) -> bool:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    with session_scope() as session:
        query = text("SELECT 1 FROM assessments WHERE body_id = :b AND round_id = :r")
        return session.execute(query, {"b": body_id, "r": round_id}).first() is not None


def _version(session_scope, round_id: int) -> str:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    with session_scope() as session:
        return session.execute(
            text("SELECT questionnaire_version FROM rounds WHERE id = :r"), {"r": round_id}
        ).scalar_one()


def _floor(session_scope, assessment_id: int, questions: list[str], saves: int) -> list[float]:  # type: ignore[no-untyped-def]
    """One upsert of one answer in its own transaction: what storing an answer cannot go below."""
    from sqlalchemy import text

    statement = text(
        "INSERT INTO responses (assessment_id, question_id, level, comment, updated_at, agreement, "
        "reason, evidence, evidence_ref) "
        "VALUES (:a, :q, :l, '', CURRENT_TIMESTAMP, 'single', '', 'self', '') "
        "ON CONFLICT (assessment_id, question_id) DO UPDATE SET level = excluded.level"
    )
    times = []
    for index in range(saves):
        started = time.process_time()
        with session_scope(write=True) as session:
            session.execute(
                statement, {"a": assessment_id, "q": questions[index % len(questions)], "l": 1 + index % 5}
            )
        times.append(time.process_time() - started)
    return times


if __name__ == "__main__":
    main()
