"""Command line: python -m ioa_assess COMMAND. Every command reads IOA_DATABASE_URL."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.exc import SQLAlchemyError

from ioa_assess.bootstrap import import_bodies, init_database
from ioa_assess.config import database_url
from ioa_assess.questionnaire import QuestionnaireError, load_questionnaire_file
from ioa_assess.reference import BodyImportError, read_bodies_csv
from ioa_assess.services.accounts import create_user, issue_invitation
from ioa_assess.services.actor import SYSTEM, ServiceError
from ioa_assess.services.audit import record_export
from ioa_assess.storage.engine import dispose_all, session_scope
from ioa_assess.storage.models import Body, Network, NetworkMember, Round


class CliError(Exception):
    pass


def _cmd_init_db(_args: argparse.Namespace) -> None:
    count = init_database()
    print(f"database ready at {database_url()} ({count} public bodies)")


def _cmd_seed_demo(args: argparse.Namespace) -> None:
    from ioa_assess.seed import seed_demo

    sign_ins = seed_demo(seed=args.seed, agencies=args.agencies, rounds=args.rounds)
    print(f"demo network seeded in {database_url()} ({args.agencies} bodies, {args.rounds} rounds)")
    for sign_in in sign_ins:
        print(sign_in.line())


def _cmd_validate(args: argparse.Namespace) -> None:
    print(load_questionnaire_file(args.file).summary())


def _cmd_questionnaire_diff(args: argparse.Namespace) -> None:
    from ioa_assess.comparability import diff_lines, linked

    if not linked(args.earlier, args.later):
        raise CliError(f"{args.later} does not follow {args.earlier} (see 'previous' in {args.later}.yaml)")
    for line in diff_lines(args.earlier, args.later):
        print(line)


def _read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CliError(f"{path}: cannot read the file ({exc.strerror})") from None


def _cmd_import(args: argparse.Namespace) -> None:
    try:
        found = read_bodies_csv(_read_file(args.file))
        print(f"{args.file}: {found.describe()}")
        init_database()
        added, updated = import_bodies(SYSTEM, found.records)
    except BodyImportError as exc:
        lines = "\n".join(f"  {p}" for p in exc.problems)
        raise CliError(f"{args.file}: rejected, nothing was imported:\n{lines}") from None
    print(f"{args.file}: {added} bodies added, {updated} updated")


def _find_body(session, text: str) -> Body:  # type: ignore[no-untyped-def]
    text = text.strip()
    body = session.scalar(
        select(Body).where(or_(Body.municipality_number == text, func.lower(Body.name) == text.lower()))
    )
    if body is None:
        raise CliError(f"no public body with the number or name '{text}'")
    return body


def _cmd_invite(args: argparse.Namespace) -> None:
    with session_scope(write=True) as session:
        body = _find_body(session, args.agency)
        if args.round is not None:
            rnd = session.get(Round, args.round)
            if rnd is None:
                raise CliError(f"no round with id {args.round}")
        else:
            rnd = session.scalars(
                select(Round)
                .join(NetworkMember, NetworkMember.network_id == Round.network_id)
                .where(NetworkMember.body_id == body.id, Round.closed_at.is_(None))
                .order_by(Round.opens_on.desc())
            ).first()
            if rnd is None:
                raise CliError(f"{body.name} is in no network with an open round; give --round")
        _, code = issue_invitation(session, SYSTEM, body.id, rnd.id, valid_days=args.days)
        print(f"invitation for {body.name}, round {rnd.id} ({rnd.name}), valid {args.days} days:")
        print(code)


def _cmd_create_user(args: argparse.Namespace) -> None:
    password = sys.stdin.readline().rstrip("\r\n")
    with session_scope(write=True) as session:
        body_id = _find_body(session, args.agency).id if args.agency else None
        network_id = None
        if args.network:
            by_id = (
                Network.id == int(args.network) if args.network.isdigit() else Network.name == args.network
            )
            network = session.scalar(select(Network).where(by_id))
            if network is None:
                raise CliError(f"no network named '{args.network}'")
            network_id = network.id
        user = create_user(session, SYSTEM, args.email, args.role, password, body_id, network_id, args.name)
        print(f"user {user.email} created with role {user.role}")


def _cmd_export(args: argparse.Namespace) -> None:
    from ioa_assess.reports.export import export_all

    out = Path(args.out)
    try:
        rows = export_all(out, args.format)
    except OSError as exc:
        raise CliError(f"{out}: cannot write the file ({exc.strerror})") from None
    record_export(SYSTEM, "all responses", f"format={args.format} file={out.name}")
    print(f"{rows} responses exported to {out}")


def _cmd_export_person(args: argparse.Namespace) -> None:
    from ioa_assess.services import privacy

    out = Path(args.out)
    fmt = "xlsx" if out.suffix.lower() == ".xlsx" else "json"
    sheets = privacy.person_data(SYSTEM, args.email)
    try:
        out.write_bytes(privacy.to_bytes(sheets, fmt))
    except OSError as exc:
        raise CliError(f"{out}: cannot write the file ({exc.strerror})") from None
    record_export(SYSTEM, privacy.person_export_name(sheets), f"format={fmt} file={out.name}")
    print(f"everything stored about {args.email} written to {out}")


def _cmd_delete_person(args: argparse.Namespace) -> None:
    from ioa_assess.services.privacy import delete_person

    done = delete_person(SYSTEM, args.email)
    print(
        f"account {done.user_id} erased: {done.respondents_relabelled} respondent rows now read "
        f"'removed user', {done.sessions_revoked} sessions ended, {done.own_answers_deleted} of their "
        "own answers deleted; the body's answers stay with the body"
    )


def _cmd_purge(args: argparse.Namespace) -> None:
    from datetime import date

    from ioa_assess.services.privacy import purge_closed_rounds

    result = purge_closed_rounds(SYSTEM, date.today(), dry_run=args.dry_run)
    if result.days == 0:
        print("IOA_RETENTION_DAYS is 0 (keep everything): nothing to purge")
        return
    rounds = ", ".join(result.rounds) or "none"
    verb = "would be deleted (dry run)" if result.dry_run else "deleted"
    print(f"retention {result.days} days: rounds closed before {result.cutoff}: {rounds}")
    print(f"{result.responses} answers {verb}")
    print(f"{result.own_answers} answers in people's own answer sets {verb}")


def _cmd_send_reminders(args: argparse.Namespace) -> int:
    from ioa_assess.services.mailing import send_reminders

    with session_scope() as session:
        if session.get(Round, args.round) is None:
            raise CliError(f"no round with id {args.round}")
    report = send_reminders(SYSTEM, args.round, dry_run=args.dry_run)
    verb = "would remind" if report.dry_run else "reminded"
    for outcome in report.outcomes:
        if outcome.sent:
            print(f"{verb} {outcome.body}: {outcome.contact} <{outcome.email}> ({outcome.language})")
        else:
            print(f"FAILED {outcome.body}: {outcome.contact} <{outcome.email}>: {outcome.error}")
    if report.dry_run:
        print(f"total: {len(report.outcomes)} reminders (dry run, nothing sent)")
    else:
        print(f"total: {len(report.sent)} reminders sent, {len(report.failed)} failed")
    return 1 if report.failed else 0


def _cmd_export_open_data(args: argparse.Namespace) -> None:
    from ioa_assess.reports.open_data_files import write_open_data
    from ioa_assess.services.open_data import open_data

    data = open_data(SYSTEM, args.round)
    try:
        files = write_open_data(data, Path(args.out))
    except OSError as exc:
        raise CliError(f"{args.out}: cannot write the files ({exc.strerror})") from None
    record_export(SYSTEM, f"open data, round:{args.round}", f"dir={Path(args.out).name}")
    for path in files:
        print(path)
    print(f"open data for round {args.round} written to {args.out} ({len(files)} files, k={data.k})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ioa_assess", description="IOA self-assessment tools")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init-db", help="create or upgrade the database and load the reference bodies")
    seed = sub.add_parser("seed-demo", help="create the demo network and demo accounts")
    seed.add_argument("--seed", type=int, default=42)
    seed.add_argument("--agencies", type=int, default=72)
    seed.add_argument("--rounds", type=int, default=2)
    validate = sub.add_parser("validate-questionnaire", help="check a questionnaire file")
    validate.add_argument("file")
    diff = sub.add_parser(
        "questionnaire-diff", help="how each question of a version relates to an earlier one"
    )
    diff.add_argument("earlier", help="the earlier version, e.g. ioa-v1")
    diff.add_argument("later", help="the later version, e.g. ioa-v2")
    imp = sub.add_parser(
        "import-agencies", help="add or update public bodies from a CSV file (all or nothing)"
    )
    imp.add_argument("file")
    export = sub.add_parser("export", help="export every response with its scores")
    export.add_argument("--format", choices=("csv", "xlsx", "json"), required=True)
    export.add_argument("--out", required=True)
    invite = sub.add_parser("invite", help="issue a one-time invitation code for a body")
    invite.add_argument("--agency", required=True, help="municipality number or name")
    invite.add_argument("--round", type=int)
    invite.add_argument("--days", type=int, default=60)
    user = sub.add_parser("create-user", help="create an account; the password is read from stdin")
    user.add_argument("--email", required=True)
    user.add_argument("--role", required=True)
    user.add_argument("--agency")
    user.add_argument("--network")
    user.add_argument("--name", default="")
    person = sub.add_parser("export-person", help="write everything stored about a person (JSON or .xlsx)")
    person.add_argument("--email", required=True)
    person.add_argument("--out", required=True)
    erase = sub.add_parser("delete-person", help="erase a person; their answers stay with the body")
    erase.add_argument("--email", required=True)
    purge = sub.add_parser("purge", help="delete answers of rounds closed longer ago than IOA_RETENTION_DAYS")
    purge.add_argument("--dry-run", action="store_true", help="only show what would be deleted")
    remind = sub.add_parser(
        "send-reminders", help="e-mail a reminder to every body of the round that is due one (for cron)"
    )
    remind.add_argument("--round", type=int, required=True)
    remind.add_argument("--dry-run", action="store_true", help="only list who would get a reminder")
    open_data = sub.add_parser(
        "export-open-data", help="write the round's aggregates under the k rule as CSV and JSON"
    )
    open_data.add_argument("--round", type=int, required=True)
    open_data.add_argument("--out", required=True, help="folder for the files (created if missing)")
    return parser


COMMANDS = {
    "init-db": _cmd_init_db,
    "seed-demo": _cmd_seed_demo,
    "validate-questionnaire": _cmd_validate,
    "questionnaire-diff": _cmd_questionnaire_diff,
    "import-agencies": _cmd_import,
    "export": _cmd_export,
    "invite": _cmd_invite,
    "create-user": _cmd_create_user,
    "export-person": _cmd_export_person,
    "delete-person": _cmd_delete_person,
    "purge": _cmd_purge,
    "send-reminders": _cmd_send_reminders,
    "export-open-data": _cmd_export_open_data,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    finally:
        dispose_all()  # close every connection, so that SQLite folds its WAL back into the file


def _run(args: argparse.Namespace) -> int:
    try:
        status = COMMANDS[args.command](args)
    except (CliError, QuestionnaireError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        reason = getattr(exc, "orig", None) or exc
        print(f"error: database problem at {database_url()}: {reason}", file=sys.stderr)
        return 2
    return status if isinstance(status, int) else 0
