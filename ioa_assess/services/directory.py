"""Names and context for the signed-in actor, and the demo sign-ins on a demo database."""

from __future__ import annotations

from dataclasses import dataclass

from ioa_assess.i18n import LANGUAGES
from ioa_assess.services.actor import Actor
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Body, Network, Round


@dataclass(frozen=True)
class ActorContext:
    body_name: str | None
    network_name: str | None
    round_name: str | None
    written_standard: str | None


def actor_context(actor: Actor) -> ActorContext:
    with session_scope() as session:
        body = session.get(Body, actor.body_id) if actor.body_id else None
        network = session.get(Network, actor.network_id) if actor.network_id else None
        rnd = session.get(Round, actor.round_id) if actor.round_id else None
        return ActorContext(
            body_name=body.name if body else None,
            network_name=network.name if network else None,
            round_name=rnd.name if rnd else None,
            written_standard=body.written_standard if body else None,
        )


def demo_sign_in_lines() -> list[tuple[str, str, str]]:
    """(role, e-mail, password) of the demo accounts, only when this is a demo database."""
    from ioa_assess.seed import demo_seed, demo_sign_ins

    with session_scope() as session:
        seed = demo_seed(session)
    if seed is None:
        return []
    return [(s.role, s.email, s.password) for s in demo_sign_ins(seed)]


def preferred_language(actor: Actor) -> str | None:
    """The account's saved language; else nynorsk for a body whose written standard is nynorsk."""
    from ioa_assess.storage.models import User

    with session_scope() as session:
        user = session.get(User, actor.user_id) if actor.user_id else None
        if user is not None and user.language in LANGUAGES:
            return user.language
        body = session.get(Body, actor.body_id) if actor.body_id else None
        if body is not None and body.written_standard == "nynorsk":
            return "nn"
        if body is not None and body.written_standard == "bokmal":
            return "nb"
    return None


def remember_language(actor: Actor, lang: str) -> None:
    """Keep the language an account chose, for its next sign-in."""
    from ioa_assess.storage.models import User

    if actor.user_id is None or lang not in LANGUAGES:
        return
    with session_scope(write=True) as session:
        user = session.get(User, actor.user_id)
        if user is not None:
            user.language = lang
