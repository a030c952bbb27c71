"""Errors meant for the user, at the bottom of the layers so that storage can raise them too."""

from __future__ import annotations

from ioa_assess.i18n import N_


class ServiceError(Exception):
    """An error meant for the user; the message is a translation msgid with {placeholders}."""

    def __init__(self, message: str, **values: object):
        super().__init__(message.format(**values) if values else message)
        self.msgid = message
        self.values = values


class DatabaseBusy(ServiceError):
    """Every database connection stayed taken for the pool's whole timeout: the request was
    refused rather than left waiting, and nothing of it was stored."""

    def __init__(self) -> None:
        super().__init__(BUSY)


BUSY = N_("The server is too busy right now, so this was not stored. Try again in a moment.")
