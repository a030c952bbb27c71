"""A small second questionnaire version built from the real v1, for tests of versions over time.

Per dimension: question 01 `same`, 02 `reworded`, 03 `changed` (new id 06 replaces it), 04 and 05
`same`; beh-05 is removed; str-07 is `new`. So str has 4 of 6 questions comparable with v1, beh 3
of 4, every other dimension 4 of 5. mar-01 allows "not relevant"; kon-01 cites two legal rules and
has a legal minimum of level 3; str-01 uses {Org}.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from ioa_assess import questionnaire as questionnaire_module
from ioa_assess.config import QUESTIONNAIRE_DIR

V1_FILE = QUESTIONNAIRE_DIR / "ioa-v1.yaml"

LEGAL = {
    "as_of": "2026-11-30",
    "references": [
        {
            "id": "foa-9-3",
            "source": "Anskaffelsesforskriften § 9-3",
            "url": "https://lovdata.no/forskrift/2016-08-12-974",
            "status": "in_force",
            "as_of": "2026-11-30",
            "rule": {
                "nb": "Oppdragsgiver kan ha dialog med leverandører før konkurransen.",
                "nn": "Oppdragsgivaren kan ha dialog med leverandørar før konkurransen.",
                "en": "The contracting authority may talk with suppliers before the competition.",
            },
        },
        {
            "id": "prop-147-l",
            "source": "Prop. 147 L (2024–2025)",
            "status": "proposal",
            "as_of": "2026-11-30",
            "rule": {
                "nb": "Ny anskaffelseslov foreslår krav om klima og miljø.",
                "nn": "Ny anskaffingslov føreslår krav om klima og miljø.",
                "en": "A new procurement act proposes climate and environment requirements.",
            },
        },
    ],
}

WORDING = {
    "org": {
        "municipality": {"nb": "kommunen vår", "nn": "kommunen vår", "en": "our municipality"},
        "county_council": {
            "nb": "fylkeskommunen vår",
            "nn": "fylkeskommunen vår",
            "en": "our county council",
        },
        "health_trust": {"nb": "helseforetaket vårt", "nn": "helseføretaket vårt", "en": "our health trust"},
        "state_agency": {"nb": "virksomheten vår", "nn": "verksemda vår", "en": "our agency"},
        "neutral": {"nb": "organisasjonen vår", "nn": "organisasjonen vår", "en": "our organisation"},
    }
}


def v1_raw() -> dict:
    return yaml.safe_load(V1_FILE.read_text(encoding="utf-8"))


def _text(nb: str) -> dict[str, str]:
    return {"nb": nb, "nn": nb + " (nn)", "en": nb + " (en)"}


def v2_raw() -> dict:
    """The test v2 as plain YAML data (a fresh copy each call, ready to be changed by a test)."""
    v1 = v1_raw()
    questions = []
    for q in v1["questions"]:
        number = int(q["id"][-2:])
        new = copy.deepcopy(q)
        if q["id"] == "beh-05":
            continue
        if number == 2:
            new["change"] = "reworded"
            new["text"] = {lang: text + " (v2)" for lang, text in q["text"].items()}
        elif number == 3:
            new["id"] = q["id"][:-2] + "06"
            new["change"] = "changed"
            new["replaces"] = [q["id"]]
        else:
            new["change"] = "same"
        questions.append(new)
    by_id = {q["id"]: q for q in questions}
    by_id["mar-01"]["not_relevant"] = True
    by_id["kon-01"]["legal"] = ["foa-9-3", "prop-147-l"]
    by_id["kon-01"]["legal_minimum"] = 3
    by_id["str-01"]["title"] = {
        "nb": "{Org} har en strategi",
        "nn": "{Org} har ein strategi",
        "en": "{Org} plan",
    }
    new_question = copy.deepcopy(by_id["str-01"])
    new_question.update(id="str-07", change="new", title=_text("Politisk forankring"))
    questions.insert(6, new_question)
    raw = {
        "id": "ioa-v2",
        "version": 2,
        "previous": "ioa-v1",
        "minutes": 35,
        "title": v1["title"],
        "scale": {
            "levels": v1["scale"]["levels"],
            "dont_know": {"nb": "Vet ikke", "nn": "Veit ikkje", "en": "Don't know"},
            "not_relevant": {
                "nb": "Ikke relevant for oss",
                "nn": "Ikkje relevant for oss",
                "en": "Not relevant to us",
            },
        },
        "wording": WORDING,
        "removed": [{"id": "beh-05", "reason": _text("Dekket av andre spørsmål")}],
        "dimensions": v1["dimensions"],
        "questions": questions,
    }
    return raw


def dump(raw: object) -> str:
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)


def write_folder(folder: Path, v2: dict | None = None, legal: dict | None = None) -> Path:
    """A questionnaire folder with the real v1, the test v2 and its legal references."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ioa-v1.yaml").write_bytes(V1_FILE.read_bytes())
    (folder / "ioa-v2.yaml").write_text(dump(v2 if v2 is not None else v2_raw()), encoding="utf-8")
    (folder / "legal-references.yaml").write_text(
        dump(legal if legal is not None else LEGAL), encoding="utf-8"
    )
    return folder


@pytest.fixture
def v2_questionnaires(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app reads its questionnaires from a folder with v1 and the test v2."""
    folder = write_folder(tmp_path / "questionnaires")
    monkeypatch.setattr(questionnaire_module, "QUESTIONNAIRE_DIR", folder)
    questionnaire_module.load_questionnaire.cache_clear()
    yield folder
    questionnaire_module.load_questionnaire.cache_clear()
