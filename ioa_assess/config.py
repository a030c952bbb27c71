"""Settings read from the environment, in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
QUESTIONNAIRE_DIR = DATA_DIR / "questionnaire"
REFERENCE_DIR = DATA_DIR / "reference"
DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'ioa.db'}"

# The anonymity threshold may be raised, never lowered below this floor.
K_ANONYMITY_FLOOR = 3
K_ANONYMITY_DEFAULT = 5
# Answers in rounds closed longer ago than this many days may be purged; 0 keeps them.
RETENTION_DAYS_DEFAULT = 0


@dataclass(frozen=True)
class Settings:
    database_url: str
    k_anonymity: int
    session_secret: str


def database_url() -> str:
    return os.environ.get("IOA_DATABASE_URL") or DEFAULT_DATABASE_URL


def k_anonymity() -> int:
    raw = os.environ.get("IOA_K_ANONYMITY", "")
    try:
        k = int(raw) if raw.strip() else K_ANONYMITY_DEFAULT
    except ValueError:
        k = K_ANONYMITY_DEFAULT
    return max(k, K_ANONYMITY_FLOOR)


def retention_days() -> int:
    """IOA_RETENTION_DAYS: days after a round closes before its answers are purged; 0 (or unset) = keep."""
    raw = os.environ.get("IOA_RETENTION_DAYS", "").strip()
    try:
        days = int(raw) if raw else RETENTION_DAYS_DEFAULT
    except ValueError:
        days = RETENTION_DAYS_DEFAULT
    return max(days, 0)


def settings() -> Settings:
    return Settings(
        database_url=database_url(),
        k_anonymity=k_anonymity(),
        session_secret=os.environ.get("IOA_SESSION_SECRET", ""),
    )


# --- e-mail and open data -------------------------------------------------------------------

REMINDER_INTERVAL_DEFAULT = 7
OPEN_DATA_LICENCE_DEFAULT = "CC BY 4.0"


def smtp_url() -> str:
    """IOA_SMTP_URL: smtp://user:password@host:587 (STARTTLS), smtps://... (TLS), or smtp://host:25
    without credentials for a local relay. Empty: e-mail is not set up."""
    return os.environ.get("IOA_SMTP_URL", "").strip()


def mail_from() -> str:
    return os.environ.get("IOA_MAIL_FROM", "").strip() or "ioa@localhost"


def public_url() -> str:
    """IOA_PUBLIC_URL: the app's address as users reach it, the base of the links in e-mails."""
    return (os.environ.get("IOA_PUBLIC_URL", "").strip() or "http://localhost:8501").rstrip("/")


def reminder_interval_days() -> int:
    """IOA_REMINDER_DAYS: a body gets at most one e-mail this many days (at least 1)."""
    raw = os.environ.get("IOA_REMINDER_DAYS", "").strip()
    try:
        days = int(raw) if raw else REMINDER_INTERVAL_DEFAULT
    except ValueError:
        days = REMINDER_INTERVAL_DEFAULT
    return max(days, 1)


def open_data_licence() -> str:
    return os.environ.get("IOA_OPEN_DATA_LICENCE", "").strip() or OPEN_DATA_LICENCE_DEFAULT
