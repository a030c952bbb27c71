"""The maturity model: loading and validating a versioned questionnaire file.

A questionnaire is a YAML file under data/questionnaire/. Every human text is a mapping of
language code to text; bokmål (nb) is required. Errors are reported as one readable line that
names the file, the place inside it and what is wrong.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ioa_assess.config import QUESTIONNAIRE_DIR

LANGUAGES: tuple[str, ...] = ("nb", "nn", "en")
LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)
DEFAULT_VERSION = "ioa-v1"
MAX_FILE_BYTES = 2_000_000

Language = Literal["nb", "nn", "en"]


class QuestionnaireError(ValueError):
    """A questionnaire file that cannot be used; the message is meant for people."""


class Text(BaseModel):
    """One text in up to three languages; bokmål is required."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    nb: Annotated[str, Field(min_length=1)]
    nn: str | None = None
    en: str | None = None

    @field_validator("nb", "nn", "en")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("text is empty")
        return value

    def get(self, lang: str) -> str:
        """The text in `lang`, falling back to bokmål when that language is missing."""
        return getattr(self, lang, None) or self.nb

    def languages(self) -> set[str]:
        return {lang for lang in LANGUAGES if getattr(self, lang)}


class ScaleLevel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    level: int
    name: Text


class Scale(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    levels: list[ScaleLevel]
    not_relevant: Text

    @field_validator("levels")
    @classmethod
    def _five_levels(cls, levels: list[ScaleLevel]) -> list[ScaleLevel]:
        numbers = [item.level for item in levels]
        if numbers != list(LEVELS):
            raise ValueError(f"the scale must have levels 1 to 5 in order, found {numbers}")
        return levels

    def name(self, level: int, lang: str) -> str:
        return self.levels[level - 1].name.get(lang)


class Dimension(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: Annotated[str, Field(pattern=r"^[a-z]{2,4}$")]
    name: Text
    description: Text
    sources: Annotated[list[str], Field(min_length=1)]


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: Annotated[str, Field(pattern=r"^[a-z]{2,4}-[0-9]{2}$")]
    dimension: str
    title: Text
    text: Text
    help: Text
    levels: dict[int, Text]

    @field_validator("levels")
    @classmethod
    def _all_levels(cls, levels: dict[int, Text]) -> dict[int, Text]:
        missing = [n for n in LEVELS if n not in levels]
        extra = sorted(n for n in levels if n not in LEVELS)
        if missing:
            raise ValueError(f"level {', '.join(map(str, missing))} is missing")
        if extra:
            raise ValueError(f"level {', '.join(map(str, extra))} is not on the 1-5 scale")
        return dict(sorted(levels.items()))

    def texts(self) -> list[Text]:
        return [self.title, self.text, self.help, *self.levels.values()]


class Questionnaire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
    version: int
    title: Text
    scale: Scale
    dimensions: Annotated[list[Dimension], Field(min_length=1)]
    questions: Annotated[list[Question], Field(min_length=1)]

    @model_validator(mode="after")
    def _consistent(self) -> Questionnaire:
        dimension_ids = [d.id for d in self.dimensions]
        _no_duplicates(dimension_ids, "dimension id")
        _no_duplicates([q.id for q in self.questions], "question id")
        known = set(dimension_ids)
        for q in self.questions:
            if q.dimension not in known:
                raise ValueError(f"question '{q.id}' names an unknown dimension '{q.dimension}'")
        empty = [d for d in dimension_ids if not any(q.dimension == d for q in self.questions)]
        if empty:
            raise ValueError(f"dimension '{empty[0]}' has no questions")
        return self

    # --- lookups used everywhere -------------------------------------------------------
    def questions_in(self, dimension_id: str) -> list[Question]:
        return [q for q in self.questions if q.dimension == dimension_id]

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def dimension(self, dimension_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        raise KeyError(dimension_id)

    def dimension_of(self) -> dict[str, str]:
        """question id -> dimension id."""
        return {q.id: q.dimension for q in self.questions}

    def languages(self) -> list[str]:
        """The languages every text of the questionnaire is written in."""
        texts: list[Text] = [self.title, self.scale.not_relevant]
        texts += [lvl.name for lvl in self.scale.levels]
        texts += [t for d in self.dimensions for t in (d.name, d.description)]
        texts += [t for q in self.questions for t in q.texts()]
        common = set(LANGUAGES)
        for text in texts:
            common &= text.languages()
        return [lang for lang in LANGUAGES if lang in common]

    def summary(self) -> str:
        return (
            f"{self.id}: {len(self.dimensions)} dimensions, {len(self.questions)} questions, "
            f"languages: {', '.join(self.languages())}"
        )


def _no_duplicates(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"duplicate {what} '{item}'")
        seen.add(item)


def _place(loc: tuple[int | str, ...], raw: object) -> str:
    """Readable place inside the file: 'questions[3] (str-04).levels' rather than a tuple."""
    parts: list[str] = []
    node = raw
    for key in loc:
        if isinstance(key, int) and isinstance(node, list):
            label = f"[{key}]"
            node = node[key] if key < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                label += f" ({node['id']})"
            if parts:
                parts[-1] += label
            else:
                parts.append(label)
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return ".".join(parts) or "top level"


def parse_questionnaire(text: str, source: str) -> Questionnaire:
    """Parse and validate questionnaire YAML; raise QuestionnaireError with one clear line."""
    try:
        raw = yaml.safe_load(text)
    except yaml.reader.ReaderError as exc:  # a control character, often pasted from a word processor
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise QuestionnaireError(
            f"{source}: line {line}, column {column}: not valid YAML (control character {exc.character!r})"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown place"
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise QuestionnaireError(f"{source}: {where}: not valid YAML ({problem})") from None
    if not isinstance(raw, dict):
        raise QuestionnaireError(f"{source}: top level: expected a mapping with id, dimensions and questions")
    try:
        return Questionnaire.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        message = first["msg"].removeprefix("Value error, ")
        place = _place(tuple(first["loc"]), raw)
        more = exc.error_count() - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise QuestionnaireError(f"{source}: {place}: {message}{suffix}") from None


def load_questionnaire_file(path: Path | str) -> Questionnaire:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise QuestionnaireError(f"{path}: cannot read the file ({exc.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise QuestionnaireError(f"{path}: the file is larger than {MAX_FILE_BYTES // 1_000_000} MB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QuestionnaireError(f"{path}: byte {exc.start}: the file is not UTF-8 text") from None
    return parse_questionnaire(text, str(path))


def questionnaire_path(version: str) -> Path:
    if not re.fullmatch(r"[a-z0-9-]+", version):
        raise QuestionnaireError(f"unknown questionnaire version '{version}'")
    return QUESTIONNAIRE_DIR / f"{version}.yaml"


@lru_cache(maxsize=8)
def load_questionnaire(version: str = DEFAULT_VERSION) -> Questionnaire:
    """The questionnaire of a version, parsed once per process (it never changes at run time)."""
    return load_questionnaire_file(questionnaire_path(version))


def available_versions() -> list[str]:
    return sorted(p.stem for p in QUESTIONNAIRE_DIR.glob("*.yaml") if not p.stem.startswith("_"))
