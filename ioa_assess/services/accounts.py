"""Accounts, sign-in and invitation codes."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta
from typing import NamedTuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from ioa_assess.i18n import N_
from ioa_assess.services import audit, throttle
from ioa_assess.services.actor import (
    ANSWERING_ROLES,
    ROLES,
    Actor,
    InvalidInput,
    NotFound,
    PermissionDenied,
    is_id,
    now,
)
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Body, Invitation, Network, NetworkMember, Respondent, Round, User

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
MAX_EMAIL_LENGTH = 254
# Sign-in throttling (README, Security): the 5th failure in a row on an account blocks it for a
# minute, each further one for longer, never more than 15 minutes, so that nobody can lock anyone
# out for good; the right password passes once the delay is over. A day without tries forgets them.
LOCK_AFTER_FAILURES = 5
LOCK_DELAYS = tuple(timedelta(minutes=m) for m in (1, 2, 4, 8, 15))
FORGET_FAILURES_AFTER = timedelta(days=1)
# One client address may fail this often in a window, over all accounts known or not.
SIGNIN_FAILURES_PER_ADDRESS = 20
SIGNIN_WINDOW = timedelta(minutes=15)
SIGNIN_THROTTLED = N_("Too many failed attempts. Try again in a few minutes.")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud and typed by hand
CODE_GROUPS, CODE_GROUP_LENGTH = 3, 4
MAX_CODE_LENGTH = 40
DEFAULT_CODE_DAYS = 60

_hasher = PasswordHasher()
# Verifying against this keeps an unknown e-mail as slow as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("The password must be at least {n} characters.", n=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput("The password must be at most {n} characters.", n=MAX_PASSWORD_LENGTH)


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if len(email) > MAX_EMAIL_LENGTH or "@" not in email or any(c.isspace() or c == "\x00" for c in email):
        raise InvalidInput("Enter a valid e-mail address.")
    return email


def actor_for_user(user: User) -> Actor:
    return Actor(
        role=user.role,
        label=user.email,
        user_id=user.id,
        body_id=user.body_id,
        network_id=user.network_id,
        language=user.language,
    )


def create_user(
    session: Session,
    actor: Actor,
    email: str,
    role: str,
    password: str,
    body_id: int | None = None,
    network_id: int | None = None,
    name: str = "",
) -> User:
    if not actor.is_admin:
        raise PermissionDenied("Only an administrator can create accounts.")
    if role not in ROLES:
        raise InvalidInput("Unknown role '{role}'.", role=role)
    email = normalise_email(email)
    check_password_rules(password)
    if role in ("participant", "agency_lead", "leader") and body_id is None:
        raise InvalidInput("The role {role} needs a body.", role=role)
    if role in ("facilitator", "regional_leader") and network_id is None:
        raise InvalidInput("The role {role} needs a network.", role=role)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise InvalidInput("An account with this e-mail already exists.")
    user = User(
        email=email,
        name=name[:200],
        role=role,
        password_hash=hash_password(password),
        body_id=body_id,
        network_id=network_id,
        created_at=now(),
        failed_logins=0,
    )
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.create", f"user:{user.id}", f"role={role}")
    return user


def sign_in(email: str, password: str, client_address: str | None = None) -> Actor:
    """The actor for valid credentials; one message for every failure, so none leaks which part.

    Guessing is throttled per account and per client address (see the README's Security section).
    The account's counter is kept by e-mail address, whether or not an account uses it, so a known
    and an unknown address answer alike; an unknown one is checked against a dummy hash, so that it
    takes as long. The password is checked outside any transaction: the slow hash holds no
    connection.
    """
    wrong = N_("Wrong e-mail or password.")
    try:
        email = normalise_email(email)
    except InvalidInput:
        raise PermissionDenied(wrong) from None
    account_key = throttle.key("signin-account", email)
    address_key = throttle.key("signin-address", client_address or "")
    with session_scope(write=True) as session:
        current = now()
        from_address = throttle.count_attempt(session, address_key, SIGNIN_WINDOW, current)
        allowed = from_address <= SIGNIN_FAILURES_PER_ADDRESS and throttle.claim_try(
            session, account_key, current, LOCK_AFTER_FAILURES, LOCK_DELAYS, FORGET_FAILURES_AFTER
        )
        user = session.scalar(select(User).where(User.email == email, User.deleted_at.is_(None)))
        if not allowed:
            audit.record(session, user.email if user else "anonymous", "signin.locked", _target(user, email))
    if not allowed:
        raise PermissionDenied(SIGNIN_THROTTLED)
    password_hash = user.password_hash if user is not None and user.password_hash else None
    matches = _verify(password_hash or _DUMMY_HASH, password[:MAX_PASSWORD_LENGTH])
    right = matches and password_hash is not None
    with session_scope(write=True) as session:
        if right:
            assert user is not None
            throttle.clear(session, account_key)
            throttle.release_attempt(session, address_key)
            session.execute(update(User).where(User.id == user.id).values(failed_logins=0, locked_until=None))
            audit.record(session, user.email, "signin", f"user:{user.id}")
            return actor_for_user(user)
        if user is not None:
            # The account's own record of failures in a row, added to in the database itself.
            session.execute(
                update(User)
                .where(User.id == user.id)
                .values(
                    failed_logins=User.failed_logins + 1, locked_until=throttle.blocked_until(account_key)
                )
            )
        audit.record(session, user.email if user else "anonymous", "signin.failed", _target(user, email))
    raise PermissionDenied(wrong)


def _target(user: User | None, email: str) -> str:
    return f"user:{user.id}" if user is not None else email[:254]


def actor_for_sso_email(
    email: str | None, *, provider: str = "", email_verified: bool | None = None
) -> Actor:
    """The local account for an e-mail that single sign-on (st.login) vouched for.

    Single sign-on proves who the person is; what they may do comes only from an existing local
    account, so an unknown e-mail is refused (and recorded), never given a new account.
    """
    unknown = N_("No account here uses the e-mail address {email}. Ask the network's administrator for one.")
    detail = f"provider={provider}" if provider else ""
    with session_scope(write=True) as session:
        if not email or not email.strip():
            audit.record(session, "anonymous", "signin.sso_refused", "", f"{detail} no e-mail".strip())
            refusal = PermissionDenied(
                "Your identity provider did not give an e-mail address, so no account can be found. "
                "Sign in with your e-mail and password instead."
            )
        elif email_verified is False:
            audit.record(session, email[:254], "signin.sso_refused", "", f"{detail} e-mail not verified")
            refusal = PermissionDenied("Your identity provider has not verified your e-mail address.")
        else:
            try:
                normalised = normalise_email(email)
            except InvalidInput:
                normalised = ""
            user = (
                session.scalar(select(User).where(User.email == normalised, User.deleted_at.is_(None)))
                if normalised
                else None
            )
            if user is not None:
                audit.record(session, user.email, "signin.sso", f"user:{user.id}", detail)
                return actor_for_user(user)
            audit.record(session, email[:254], "signin.sso_refused", "", f"{detail} unknown e-mail".strip())
            refusal = PermissionDenied(unknown, email=email[:254])
    raise refusal


def change_role(
    actor: Actor, email: str, role: str, body_id: int | None = None, network_id: int | None = None
) -> None:
    """Give an account another role (with the body or network that role needs); recorded."""
    if not actor.is_admin:
        raise PermissionDenied("Only an administrator can change roles.")
    if role not in ROLES:
        raise InvalidInput("Unknown role '{role}'.", role=role)
    email = normalise_email(email)
    with session_scope(write=True) as session:
        _change_role(session, actor, email, role, body_id, network_id)


def _change_role(
    session: Session, actor: Actor, email: str, role: str, body_id: int | None, network_id: int | None
) -> None:
    user = session.scalar(select(User).where(User.email == email, User.deleted_at.is_(None)))
    if user is None:
        raise NotFound("No account with this e-mail.")
    if actor.user_id is not None and actor.user_id == user.id:
        raise PermissionDenied("You cannot change your own role.")
    if role in ("participant", "agency_lead", "leader"):
        if not is_id(body_id) or session.get(Body, body_id) is None:
            raise InvalidInput("The role {role} needs a body.", role=role)
        network_id = None
    elif role in ("facilitator", "regional_leader"):
        if not is_id(network_id) or session.get(Network, network_id) is None:
            raise InvalidInput("The role {role} needs a network.", role=role)
        body_id = None
    else:
        body_id = network_id = None
    before = f"{user.role} body={user.body_id} network={user.network_id}"
    user.role, user.body_id, user.network_id = role, body_id, network_id
    after = f"{role} body={body_id} network={network_id}"
    audit.record(session, actor, "user.role", f"user:{user.id}", f"{before} -> {after}")


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# --- invitation codes --------------------------------------------------------------------


def _code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def new_code() -> str:
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH)) for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


def issue_invitation(
    session: Session, actor: Actor, body_id: int, round_id: int, valid_days: int = DEFAULT_CODE_DAYS
) -> tuple[Invitation, str]:
    """A new code for one body and round; the code itself is returned once and never stored."""
    rnd = session.get(Round, round_id) if is_id(round_id) else None
    body = session.get(Body, body_id) if is_id(body_id) else None
    if rnd is None or body is None:
        raise NotFound("No such body or round.")
    may = actor.runs_network(rnd.network_id) or (actor.role == "agency_lead" and actor.body_id == body_id)
    if not may:
        raise PermissionDenied("You may not issue codes for this body.")
    if session.get(NetworkMember, (rnd.network_id, body_id)) is None:
        raise InvalidInput("The body is not a member of the network that runs this round.")
    if not 1 <= valid_days <= 365:
        raise InvalidInput("A code is valid for 1 to 365 days.")
    code = new_code()
    invitation = Invitation(
        code_hash=_code_hash(code),
        hint=code[-4:],
        body_id=body_id,
        round_id=round_id,
        created_by=actor.user_id,
        created_at=now(),
        expires_at=now() + timedelta(days=valid_days),
        used_count=0,
    )
    session.add(invitation)
    session.flush()
    audit.record(
        session, actor, "invitation.issue", f"body:{body_id}", f"round={round_id} hint={invitation.hint}"
    )
    return invitation, code


def revoke_invitation(session: Session, actor: Actor, invitation_id: int) -> None:
    invitation = session.get(Invitation, invitation_id) if is_id(invitation_id) else None
    if invitation is None:
        raise NotFound("No such code.")
    rnd = session.get(Round, invitation.round_id)
    if rnd is None or not actor.runs_network(rnd.network_id):
        raise PermissionDenied("You may not revoke this code.")
    invitation.revoked_at = now()
    audit.record(session, actor, "invitation.revoke", f"invitation:{invitation_id}")


# Invitation codes: every try is counted before the code is checked, per client address and per
# code, so that parallel guesses cannot pass the limits; a valid code's try is taken back. A ceiling
# over all addresses only slows the checks down, so that a flood from many addresses shuts nobody out.
CODE_ATTEMPTS_PER_ADDRESS = 20
CODE_ATTEMPTS_PER_CODE = 10
CODE_WINDOW = timedelta(minutes=15)
CODE_CEILING = 1000
CODE_SLOWDOWN_SECONDS = 2.0
_CODE_COUNTER_ALL = "code-all"


def redeem_invitation(code: str, client_address: str | None = None) -> Actor:
    """The participant actor bound to the code's body and round, if the code is valid now."""
    invalid = N_("This code is not valid. Check it, or ask your facilitator for a new one.")
    if len(code) > MAX_CODE_LENGTH or not normalise_code(code):
        raise InvalidInput(invalid)
    code_hash = _code_hash(code)
    counters = [throttle.key("code-address", client_address or ""), throttle.key("code", code_hash)]
    limits = (CODE_ATTEMPTS_PER_ADDRESS, CODE_ATTEMPTS_PER_CODE)
    with session_scope(write=True) as session:
        current = now()
        for counter, limit in zip(counters, limits, strict=True):
            if throttle.count_attempt(session, counter, CODE_WINDOW, current) > limit:
                audit.record(session, "anonymous", "invitation.throttled", "")
                refusal = PermissionDenied(
                    "Too many attempts with wrong codes. Wait a few minutes and try again."
                )
                break
        else:
            refusal = None
            overall = throttle.count_attempt(session, _CODE_COUNTER_ALL, CODE_WINDOW, current)
    if refusal is not None:
        raise refusal
    if overall > CODE_CEILING:
        time.sleep(CODE_SLOWDOWN_SECONDS)
    with session_scope(write=True) as session:
        invitation = session.scalar(select(Invitation).where(Invitation.code_hash == code_hash))
        current = now()
        if invitation is None or invitation.revoked_at is not None or invitation.expires_at <= current:
            audit.record(session, "anonymous", "invitation.failed", "", "unknown, revoked or expired")
            session.commit()  # the record stays although the refusal is raised
            raise InvalidInput(invalid)
        for counter in (*counters, _CODE_COUNTER_ALL):
            throttle.release_attempt(session, counter)
        invitation.used_count += 1
        invitation.last_used_at = current
        body = session.get(Body, invitation.body_id)
        assert body is not None
        audit.record(session, f"code …{invitation.hint}", "invitation.use", f"body:{body.id}")
        return actor_for_invitation(invitation, body)


def actor_for_invitation(invitation: Invitation, body: Body) -> Actor:
    """A participant bound to the code's body and round."""
    return Actor(
        role="participant",
        label=f"{body.name} (code …{invitation.hint})",
        body_id=body.id,
        round_id=invitation.round_id,
        invitation_id=invitation.id,
    )


class RespondentRef(NamedTuple):
    id: int
    label: str


# Looked up on every answer's write, so built once. The actor the page holds may be stale (an open
# tab), so the same statement also reads whether the account or the code may still answer now.
_ANSWERING_USER = (
    select(User.role, User.body_id, User.deleted_at, Respondent.id, Respondent.label)
    .outerjoin(Respondent, (Respondent.user_id == User.id) & (Respondent.body_id == bindparam("body_id")))
    .where(User.id == bindparam("user_id"))
)
_ANSWERING_CODE = (
    select(Invitation.body_id, Invitation.revoked_at, Invitation.expires_at, Respondent.id, Respondent.label)
    .outerjoin(
        Respondent, (Respondent.invitation_id == Invitation.id) & (Respondent.body_id == bindparam("body_id"))
    )
    .where(Invitation.id == bindparam("invitation_id"))
)


def respondent_for(session: Session, actor: Actor, body_id: int) -> RespondentRef:
    """The respondent row that attributes this actor's answers for a body (created on first use),
    once it is checked that the account or code may still answer for that body."""
    connection = session.connection()
    if actor.user_id is not None:
        found = connection.execute(_ANSWERING_USER, {"user_id": actor.user_id, "body_id": body_id}).first()
        allowed = (
            found is not None
            and found.deleted_at is None
            and found.role in ANSWERING_ROLES
            and found.body_id == body_id
        )
    elif actor.invitation_id is not None:
        params = {"invitation_id": actor.invitation_id, "body_id": body_id}
        found = connection.execute(_ANSWERING_CODE, params).first()
        allowed = (
            found is not None
            and found.revoked_at is None
            and found.expires_at > now()
            and found.body_id == body_id
        )
    else:
        raise PermissionDenied("Only a signed-in person can answer.")
    if not allowed:
        raise PermissionDenied("Your sign-in is no longer valid for this. Sign in again.")
    assert found is not None
    if found.id is not None:
        return RespondentRef(found.id, found.label)
    respondent = Respondent(
        body_id=body_id,
        user_id=actor.user_id,
        invitation_id=actor.invitation_id,
        label=actor.label,
        created_at=now(),
    )
    session.add(respondent)
    session.flush()
    return RespondentRef(respondent.id, respondent.label)


def network_name(session: Session, network_id: int | None) -> str:
    network = session.get(Network, network_id) if network_id else None
    return network.name if network else ""
