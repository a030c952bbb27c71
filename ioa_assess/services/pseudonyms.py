"""Stable pseudonyms for bodies in a round ("A7"), that neither ids nor names can be read from.

Each body's pseudonym comes from a keyed hash of (round, body, a random salt kept per network), and
the codes are handed out in the order of those hashes: so the order of the rows tells nothing about
body ids, names or the order in which bodies were added. The salt is stored in the `meta` table and
never shown.
"""

from __future__ import annotations

import hashlib
import secrets
import string

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ioa_assess.bootstrap import get_meta, set_meta
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Assessment, NetworkMember, Round

LETTERS = string.ascii_uppercase


def _salt_key(network_id: int) -> str:
    return f"pseudonym_salt:{network_id}"


def network_salt(network_id: int) -> str:
    """The network's secret salt, made on first use (in a write transaction of its own)."""
    key = _salt_key(network_id)
    with session_scope() as session:
        salt = get_meta(session, key)
    if salt:
        return salt
    try:
        with session_scope(write=True) as session:
            salt = get_meta(session, key)
            if not salt:
                salt = secrets.token_hex(16)
                set_meta(session, key, salt)
    except IntegrityError:  # another process made it at the same moment: use theirs
        with session_scope() as session:
            salt = get_meta(session, key)
    assert salt
    return salt


def code_for(index: int) -> str:
    """0 -> A0, 9 -> A9, 10 -> B0, ..., 259 -> Z9, 260 -> AA0 ..."""
    letters, number = divmod(index, 10)
    text = ""
    letters += 1
    while letters:
        letters, rest = divmod(letters - 1, len(LETTERS))
        text = LETTERS[rest] + text
    return f"{text}{number}"


def _digest(round_id: int, body_id: int, salt: str) -> str:
    return hashlib.sha256(f"{round_id}:{body_id}:{salt}".encode()).hexdigest()


def round_pseudonyms(session: Session, rnd: Round, salt: str) -> dict[int, str]:
    """body id -> code for every member of the round's network and every body assessed in the round.

    Codes stay the same while the membership stays the same; the salt is from network_salt().
    """
    members = set(
        session.scalars(select(NetworkMember.body_id).where(NetworkMember.network_id == rnd.network_id))
    )
    members |= set(session.scalars(select(Assessment.body_id).where(Assessment.round_id == rnd.id)))
    ordered = sorted(members, key=lambda body_id: _digest(rnd.id, body_id, salt))
    return {body_id: code_for(index) for index, body_id in enumerate(ordered)}


def snapshot_pseudonyms(snapshot_id: int, body_ids: list[int], salt: str) -> dict[int, str]:
    """body id -> code for the bodies of one published snapshot, drawn anew for each snapshot: so a
    row cannot be followed from one snapshot to the next to see which body was added."""
    ordered = sorted(body_ids, key=lambda body_id: _digest(-snapshot_id, body_id, salt))
    return {body_id: code_for(index) for index, body_id in enumerate(ordered)}
