"""How sure an answer is: self-declared, documented (with a document or link) or verified (by whom)."""

from __future__ import annotations

from ioa_assess.i18n import N_
from ioa_assess.ui.i18n import _
from ioa_assess.ui.text import plain

EVIDENCE_NAMES = {
    "self": N_("Self-declared"),
    "documented": N_("Documented"),
    "verified": N_("Verified"),
}
REFERENCE_LABELS = {"documented": N_("Document or link"), "verified": N_("Verified by")}


def evidence_name(kind: str) -> str:
    return _(EVIDENCE_NAMES.get(kind, EVIDENCE_NAMES["self"]))


def reference_label(kind: str) -> str:
    return _(REFERENCE_LABELS.get(kind, REFERENCE_LABELS["documented"]))


def evidence_text(kind: str, reference: str) -> str:
    """The evidence as Markdown: its kind and, where given, the reference as the person typed it."""
    if kind == "documented" and reference:
        return _("Documented: {reference}", reference=plain(reference))
    if kind == "verified" and reference:
        return _("Verified by {who}", who=plain(reference))
    return evidence_name(kind)
