"""Who is asking, and the errors a use case can answer with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from ioa_assess.errors import ServiceError

__all__ = ["ServiceError"]  # defined below the services, so that storage can raise it too

ROLES = ("participant", "agency_lead", "leader", "facilitator", "regional_leader", "admin")
BODY_ROLES = ("participant", "agency_lead", "leader")
ANSWERING_ROLES = ("participant", "agency_lead")  # the body roles that answer and set targets
NETWORK_ROLES = ("facilitator", "regional_leader")


class PermissionDenied(ServiceError):
    pass


class NotFound(ServiceError):
    pass


class InvalidInput(ServiceError):
    pass


@dataclass(frozen=True)
class Actor:
    """The signed-in user, or the holder of an invitation code (then user_id is None)."""

    role: str
    label: str
    user_id: int | None = None
    body_id: int | None = None
    network_id: int | None = None
    round_id: int | None = None  # an invitation binds the session to one round
    invitation_id: int | None = None
    language: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def answers_for_body(self) -> bool:
        return self.role in ANSWERING_ROLES

    def belongs_to_body(self, body_id: int) -> bool:
        return self.role in BODY_ROLES and self.body_id == body_id

    def runs_network(self, network_id: int) -> bool:
        return self.is_admin or (self.role == "facilitator" and self.network_id == network_id)

    def sees_network_aggregates(self, network_id: int) -> bool:
        return self.is_admin or (self.role in NETWORK_ROLES and self.network_id == network_id)


SYSTEM = Actor(role="admin", label="system (command line)")
MAX_ID = 2**63 - 1  # the largest row id every backend can take as a parameter


def is_id(value: object) -> bool:
    """Whether `value` can be a row id: a positive 64-bit integer (larger ones crash the driver)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def now() -> datetime:
    return datetime.now(UTC)
