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
    if kind in REFERENCE_LABELS and reference:
        return f"{evidence_name(kind)} ({reference_label(kind).lower()}: {plain(reference)})"
    return evidence_name(kind)


def evidence_cell(kind: str, reference: str) -> str:
    """The evidence in a table cell, which shows text as it is (no Markdown)."""
    if kind in REFERENCE_LABELS and reference:
        return f"{evidence_name(kind)}: {reference}"
    return evidence_name(kind)
