"""The maturity model: loading and validating a versioned questionnaire file.

A questionnaire is a YAML file under data/questionnaire/. Every human text is a mapping of
language code to text; bokmål (nb) is required. Errors are reported as one readable line that
names the file, the place inside it and what is wrong.

A later version names its `previous` version and says for each question how it relates to it
(same, reworded, changed, new); it is checked against that file, and the legal rules its help
texts cite are checked against legal-references.yaml in the same folder. Texts may say {org} or
{Org}, filled from the kind of body that reads them (see `Questionnaire.worded`).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from ioa_assess.config import QUESTIONNAIRE_DIR

LANGUAGES: tuple[str, ...] = ("nb", "nn", "en")
LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)
DEFAULT_VERSION = "ioa-v1"  # the first version; new rounds take `newest_version()`
MAX_FILE_BYTES = 2_000_000
LEGAL_FILE = "legal-references.yaml"
BODY_KINDS: tuple[str, ...] = ("municipality", "county_council", "health_trust", "state_agency")
NEUTRAL = "neutral"
PLACEHOLDERS = ("org", "Org")
CHANGES = ("same", "reworded", "changed", "new")
COMPARABLE_CHANGES = ("same", "reworded")

Language = Literal["nb", "nn", "en"]
Change = Literal["same", "reworded", "changed", "new"]


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
        if value is not None:
            for name in re.findall(r"\{([^{}]*)\}", value):
                if name not in PLACEHOLDERS:
                    raise ValueError(f"unknown placeholder '{{{name}}}' (use {{org}} or {{Org}})")
            if set("{}") & set(re.sub(r"\{(org|Org)\}", "", value)):
                raise ValueError("a brace that is not part of {org} or {Org}")
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
    """The five levels and the answers that are not a level.

    A v1 scale has one combined "don't know / not relevant" answer (`not_relevant`); a later one
    adds `dont_know`, and "not relevant" becomes a separate answer where a question allows it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    levels: list[ScaleLevel]
    not_relevant: Text
    dont_know: Text | None = None

    @property
    def separate_options(self) -> bool:
        """Whether "don't know" and "not relevant" are two answers (v2 on) rather than one."""
        return self.dont_know is not None

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
    change: Change | None = None  # relation to the questionnaire's `previous` version
    replaces: list[str] = Field(default_factory=list)
    not_relevant: bool = False  # whether "not relevant" can be chosen
    legal: list[str] = Field(default_factory=list)
    legal_minimum: Annotated[int, Field(ge=2, le=5)] | None = None
    title: Text
    text: Text
    help: Text
    levels: dict[int, Text]

    @property
    def comparable_with_previous(self) -> bool:
        return self.change in COMPARABLE_CHANGES

    def below_legal_minimum(self, level: int) -> bool:
        return self.legal_minimum is not None and level < self.legal_minimum

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


class RemovedQuestion(BaseModel):
    """A question of the previous version with no successor, and why it went."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: Annotated[str, Field(pattern=r"^[a-z]{2,4}-[0-9]{2}$")]
    reason: Text


class Wording(BaseModel):
    """The words that fill {org}: one per kind of body, and a neutral one."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    org: dict[Literal["municipality", "county_council", "health_trust", "state_agency", "neutral"], Text]

    @field_validator("org")
    @classmethod
    def _every_kind(cls, org: dict[str, Text]) -> dict[str, Text]:
        missing = [kind for kind in (*BODY_KINDS, NEUTRAL) if kind not in org]
        if missing:
            raise ValueError(f"the wording for '{missing[0]}' is missing")
        return org


class LegalReference(BaseModel):
    """One rule of law that help texts rely on, written once."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    source: Annotated[str, Field(min_length=1)]
    url: str | None = None
    status: Literal["in_force", "proposal"]
    as_of: date
    rule: Text

    @property
    def proposal(self) -> bool:
        return self.status == "proposal"


class LegalReferences(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    as_of: date
    references: list[LegalReference]

    @model_validator(mode="after")
    def _unique(self) -> LegalReferences:
        _no_duplicates([r.id for r in self.references], "reference id")
        return self

    def by_id(self) -> dict[str, LegalReference]:
        return {r.id: r for r in self.references}


class Questionnaire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
    version: int
    previous: str | None = None
    minutes: Annotated[int, Field(ge=1, le=600)] | None = None
    title: Text
    scale: Scale
    wording: Wording | None = None
    removed: list[RemovedQuestion] = Field(default_factory=list)
    dimensions: Annotated[list[Dimension], Field(min_length=1)]
    questions: Annotated[list[Question], Field(min_length=1)]
    _legal: dict[str, LegalReference] = PrivateAttr(default_factory=dict)
    _worded: dict[str, Questionnaire] = PrivateAttr(default_factory=dict)
    _ids_by_dimension: dict[str, list[str]] = PrivateAttr(default_factory=dict)

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
        for q in self.questions:
            if q.not_relevant and not self.scale.separate_options:
                raise ValueError(
                    f"question '{q.id}' allows 'not relevant', but the scale has no separate "
                    "'dont_know' answer (a v1 file has one combined answer)"
                )
            if self.previous is None and (q.change is not None or q.replaces):
                raise ValueError(f"question '{q.id}' says how it changed, but the file names no 'previous'")
            if self.previous is not None and q.change is None:
                raise ValueError(f"question '{q.id}' needs 'change' (same, reworded, changed or new)")
            if q.replaces and q.change != "changed":
                raise ValueError(
                    f"question '{q.id}' has 'replaces', which only a 'changed' question may have"
                )
        if self.removed and self.previous is None:
            raise ValueError("'removed' lists questions, but the file names no 'previous'")
        if _uses_placeholders(self) and self.wording is None:
            raise ValueError("texts use {org}, but the file has no 'wording'")
        return self

    # --- lookups used everywhere -------------------------------------------------------
    def model_post_init(self, context: object, /) -> None:
        # Grouped once when the questionnaire is made (scoring asks for every body it scores); made
        # here rather than on first use, so that two equal questionnaires stay equal.
        grouped: dict[str, list[str]] = {d.id: [] for d in self.dimensions}
        for question in self.questions:
            grouped.setdefault(question.dimension, []).append(question.id)
        self._ids_by_dimension = grouped

    def ids_by_dimension(self) -> dict[str, list[str]]:
        """dimension id -> its question ids, in order."""
        return self._ids_by_dimension

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

    def legal_references(self, question: Question) -> list[LegalReference]:
        """The rules of law the question's help relies on, in the order the question lists them."""
        return [self._legal[ref] for ref in question.legal if ref in self._legal]

    def worded(self, kind: str | None) -> Questionnaire:
        """This questionnaire with {org}/{Org} filled for a kind of body (neutral when unknown)."""
        kind = kind if kind in BODY_KINDS else NEUTRAL
        if kind not in self._worded:
            self._worded[kind] = _worded(self, kind)
        return self._worded[kind]

    def languages(self) -> list[str]:
        """The languages every text of the questionnaire is written in."""
        texts: list[Text] = [self.title, self.scale.not_relevant]
        texts += [self.scale.dont_know] if self.scale.dont_know else []
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


def _uses_placeholders(questionnaire: Questionnaire) -> bool:
    texts = [t for q in questionnaire.questions for t in q.texts()]
    texts += [t for d in questionnaire.dimensions for t in (d.name, d.description)]
    return any("{" in (getattr(t, lang) or "") for t in texts for lang in LANGUAGES)


def _worded(questionnaire: Questionnaire, kind: str) -> Questionnaire:
    if questionnaire.wording is None:
        return questionnaire
    words = questionnaire.wording.org[kind]

    def fill(node: object, lang: str | None = None) -> object:
        if isinstance(node, dict):
            return {key: fill(value, key if key in LANGUAGES else lang) for key, value in node.items()}
        if isinstance(node, list):
            return [fill(item, lang) for item in node]
        if isinstance(node, str) and lang is not None and "{" in node:
            word = words.get(lang)
            return node.replace("{org}", word).replace("{Org}", word[:1].upper() + word[1:])
        return node

    raw = questionnaire.model_dump(exclude={"wording"})
    filled = Questionnaire.model_validate(fill(raw))
    filled._legal = questionnaire._legal
    return filled


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


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_yaml(text: str, source: str) -> object:
    try:
        return yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 - a safe loader (libyaml's when present)
    except yaml.YAMLError:
        pass  # read it again with the Python loader, whose messages say exactly where the problem is
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
    return raw


def _validation_error(exc: ValidationError, raw: object, source: str) -> QuestionnaireError:
    first = exc.errors()[0]
    message = first["msg"].removeprefix("Value error, ")
    place = _place(tuple(first["loc"]), raw)
    more = exc.error_count() - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return QuestionnaireError(f"{source}: {place}: {message}{suffix}")


def parse_questionnaire(text: str, source: str, folder: Path | None = None) -> Questionnaire:
    """Parse and validate questionnaire YAML; raise QuestionnaireError with one clear line.

    `folder` holds the previous version and legal-references.yaml, which a later version is
    checked against (defaults to the questionnaire folder).
    """
    raw = _parse_yaml(text, source)
    if not isinstance(raw, dict):
        raise QuestionnaireError(f"{source}: top level: expected a mapping with id, dimensions and questions")
    try:
        questionnaire = Questionnaire.model_validate(raw)
    except ValidationError as exc:
        raise _validation_error(exc, raw, source) from None
    folder = QUESTIONNAIRE_DIR if folder is None else folder
    _link_legal(questionnaire, folder, source)
    if questionnaire.previous is not None:
        _check_against_previous(questionnaire, _load_previous(questionnaire, folder, source), source)
    return questionnaire


def _question_place(questionnaire: Questionnaire, question_id: str, key: str) -> str:
    index = next(i for i, q in enumerate(questionnaire.questions) if q.id == question_id)
    return f"questions[{index}] ({question_id}).{key}"


def _link_legal(questionnaire: Questionnaire, folder: Path, source: str) -> None:
    """Attach the legal references the questions cite; an unknown id is an error."""
    cited = [q for q in questionnaire.questions if q.legal]
    if not cited:
        return
    references = load_legal_references(folder / LEGAL_FILE).by_id()
    for q in cited:
        for ref in q.legal:
            if ref not in references:
                place = _question_place(questionnaire, q.id, "legal")
                raise QuestionnaireError(
                    f"{source}: {place}: unknown legal reference '{ref}' (not in {LEGAL_FILE})"
                )
    questionnaire._legal = {ref: references[ref] for q in cited for ref in q.legal}


def _load_previous(questionnaire: Questionnaire, folder: Path, source: str) -> Questionnaire:
    assert questionnaire.previous is not None
    if questionnaire.previous == questionnaire.id or not re.fullmatch(r"[a-z0-9-]+", questionnaire.previous):
        raise QuestionnaireError(
            f"{source}: previous: '{questionnaire.previous}' is not another version's id"
        )
    path = folder / f"{questionnaire.previous}.yaml"
    if not path.is_file():
        raise QuestionnaireError(
            f"{source}: previous: the previous version '{questionnaire.previous}' is not in {folder}"
        )
    try:
        return load_questionnaire_file(path)
    except QuestionnaireError as exc:
        raise QuestionnaireError(f"{source}: previous: the previous version is broken: {exc}") from None


def _check_against_previous(questionnaire: Questionnaire, previous: Questionnaire, source: str) -> None:
    """Every question's `change` must fit the previous version, and every previous question must be
    kept, replaced or removed: otherwise rounds of the two versions would be compared wrongly."""
    old_ids = {q.id for q in previous.questions}
    kept: set[str] = set()
    replaced: set[str] = set()
    for q in questionnaire.questions:
        if q.change in COMPARABLE_CHANGES:
            if q.id not in old_ids:
                place = _question_place(questionnaire, q.id, "change")
                raise QuestionnaireError(
                    f"{source}: {place}: '{q.change}' keeps the id of a question of {previous.id}, "
                    f"but {previous.id} has no question '{q.id}'"
                )
            kept.add(q.id)
        elif q.id in old_ids:
            place = _question_place(questionnaire, q.id, "change")
            raise QuestionnaireError(
                f"{source}: {place}: a '{q.change}' question needs a new id; "
                f"'{q.id}' is a question of {previous.id}"
            )
        for old in q.replaces:
            if old not in old_ids:
                place = _question_place(questionnaire, q.id, "replaces")
                raise QuestionnaireError(f"{source}: {place}: {previous.id} has no question '{old}'")
            replaced.add(old)
    for index, item in enumerate(questionnaire.removed):
        if item.id not in old_ids:
            raise QuestionnaireError(
                f"{source}: removed[{index}] ({item.id}): {previous.id} has no such question"
            )
        if item.id in kept:
            raise QuestionnaireError(
                f"{source}: removed[{index}] ({item.id}): the question is removed and kept at the same time"
            )
    removed = {item.id for item in questionnaire.removed}
    for q in previous.questions:
        if q.id not in kept | replaced | removed:
            raise QuestionnaireError(
                f"{source}: questions: {previous.id}'s question '{q.id}' is neither kept (same or reworded), "
                "replaced (in some 'replaces') nor listed under 'removed'"
            )


def load_legal_references(path: Path) -> LegalReferences:
    """legal-references.yaml, validated; problems are one readable line naming that file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise QuestionnaireError(f"{path}: cannot read the file ({exc.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QuestionnaireError(f"{path}: byte {exc.start}: the file is not UTF-8 text") from None
    raw = _parse_yaml(text, str(path))
    if not isinstance(raw, dict):
        raise QuestionnaireError(f"{path}: top level: expected a mapping with as_of and references")
    try:
        return LegalReferences.model_validate(raw)
    except ValidationError as exc:
        raise _validation_error(exc, raw, str(path)) from None


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
    return parse_questionnaire(text, str(path), path.parent)


def questionnaire_path(version: str) -> Path:
    if not re.fullmatch(r"[a-z0-9-]+", version):
        raise QuestionnaireError(f"unknown questionnaire version '{version}'")
    return QUESTIONNAIRE_DIR / f"{version}.yaml"


@lru_cache(maxsize=8)
def load_questionnaire(version: str = DEFAULT_VERSION) -> Questionnaire:
    """The questionnaire of a version, parsed once per process (it never changes at run time)."""
    return load_questionnaire_file(questionnaire_path(version))


def available_versions() -> list[str]:
    """The questionnaire versions in the folder, oldest first (by their `version` number)."""
    stems = [
        p.stem
        for p in QUESTIONNAIRE_DIR.glob("*.yaml")
        if not p.stem.startswith("_") and p.name != LEGAL_FILE
    ]
    return sorted(stems, key=lambda stem: (_version_number(stem), stem))


def _version_number(stem: str) -> int:
    try:
        return load_questionnaire(stem).version
    except QuestionnaireError:
        return -1  # a broken file sorts first, so it is never taken as the newest


def usable_versions() -> list[str]:
    """The versions whose file loads, oldest first: the ones a round can be created with."""
    usable = []
    for version in available_versions():
        try:
            load_questionnaire(version)
        except QuestionnaireError:
            continue
        usable.append(version)
    return usable


def newest_version() -> str:
    """The version a new round takes unless the facilitator chooses another: the highest usable one."""
    usable = usable_versions()
    return usable[-1] if usable else DEFAULT_VERSION
