"""The survey spec: pydantic models of the YAML format in ``docs/survey-spec.md``.

Every model forbids unknown keys, so a misspelt key is an error with the
closest valid key as a hint (see :mod:`sp2lnob.survey.spec_errors`). Semantic
checks that need the parameter files (ASPIRE / SPI categories, equivalence
scales) run after the structural validation, in :func:`load_spec`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sp2lnob.errors import ErrorDetail, InputError, SpecError, did_you_mean
from sp2lnob.parameters import load as load_parameters

Period = Literal["daily", "monthly", "yearly"]
Code = int | float | str


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SurveyInfo(_Model):
    """Descriptive fields copied into every result."""

    name: str | None = None
    country: str | None = None
    year: int | None = None
    currency: str | None = None


class Files(_Model):
    """Either one merged ``data`` file, or ``persons`` and/or ``households`` files."""

    data: str | None = None
    persons: str | None = None
    households: str | None = None

    @model_validator(mode="after")
    def _one_layout(self) -> Files:
        if self.data is not None and (self.persons is not None or self.households is not None):
            raise ValueError("give either `data` or `persons`/`households`, not both")
        if self.data is None and self.persons is None and self.households is None:
            raise ValueError("no data file: give `data`, `persons` or `households`")
        return self


class Roles(_Model):
    """Role name -> column name in the data."""

    household_id: str
    person_id: str | None = None
    weight: str
    # household: households each sampled household stands for (person rows carry it as is);
    # person: persons each sampled person stands for (same use as `household` on person rows);
    # population: household rows only, weight already x household size (sums to the population).
    weight_type: Literal["household", "person", "population"] = "household"
    strata: str | None = None
    psu: str | None = None
    fpc: str | None = None
    region: str | None = None
    urban: str | None = None
    urban_value: Code | None = None  # code meaning urban; else found in the labels
    household_size: str | None = None
    adult_equivalents: str | None = None
    age: str | None = None
    sex: str | None = None
    disability: str | None = None
    labour_status: str | None = None
    education: str | None = None
    relation: str | None = None
    head_value: Code | None = None


class CustomScale(_Model):
    """A linear equivalence scale: first adult, each other adult, each child."""

    first_adult: float = Field(1.0, gt=0)
    other_adult: float = Field(ge=0)
    child: float = Field(ge=0)
    child_max_age: int = Field(13, ge=0)


class Welfare(_Model):
    variable: str
    kind: Literal["consumption", "income"] = "consumption"
    basis: Literal["per_capita", "per_adult_equivalent", "household_total"] = "per_capita"
    period: Period = "yearly"
    equivalence_scale: str = "per_capita"
    custom_scale: CustomScale | None = None
    child_max_age: int | None = Field(None, ge=0)  # overrides the scale's default (13)
    output_period: Period = "yearly"
    missing: Literal["error", "drop"] = "error"  # drop: exclude (and report) missing welfare


class PPP(_Model):
    """International-dollar conversion: int$ = LCU / cpi / factor."""

    cpi: float = Field(gt=0)  # CPI of the survey year, base = the PPP year
    factor: float = Field(gt=0)  # PPP conversion factor (private consumption), LCU per int. $
    year: int | None = None  # the PPP base year (descriptive)


class LineBy(_Model):
    variable: str  # a role name or a column
    values: dict[Code, float]


class AbsoluteLine(_Model):
    name: str
    label: str | None = None
    type: Literal["absolute"]
    value: float | None = Field(None, gt=0)  # with `by`: the line for codes not in by.values
    period: Period = "yearly"
    by: LineBy | None = None

    @model_validator(mode="after")
    def _value_or_by(self) -> AbsoluteLine:
        if self.value is None and self.by is None:
            raise ValueError("an absolute line needs `value` or `by`")
        return self


class PPPLine(_Model):
    name: str
    label: str | None = None
    type: Literal["ppp"]
    value: float = Field(gt=0)  # international $ per person per day


class RelativeLine(_Model):
    name: str
    label: str | None = None
    type: Literal["relative"]
    share: float = Field(gt=0)
    of: Literal["median", "mean"] = "median"
    rule: str = "math"  # quantile rule of sp2lnob.measures (math, school, laeken, interpolated)


class QuantileLine(_Model):
    name: str
    label: str | None = None
    type: Literal["quantile"]
    p: float = Field(gt=0, lt=1)
    rule: str = "math"  # quantile rule of sp2lnob.measures (math, school, laeken, interpolated)


PovertyLine = Annotated[
    AbsoluteLine | PPPLine | RelativeLine | QuantileLine, Field(discriminator="type")
]


class Programme(_Model):
    name: str
    label: str | None = None
    amount: str | None = None
    receipt: str | None = None
    unit: Literal["person", "household"] = "person"
    period: Period = "yearly"
    aspire: str | None = None
    spi: str | None = None

    @model_validator(mode="after")
    def _amount_or_receipt(self) -> Programme:
        if self.amount is None and self.receipt is None:
            raise ValueError("a programme needs `amount` or `receipt` (or both)")
        return self


class DesignOptions(_Model):
    # nest: PSU codes are only unique within a stratum (R survey's nest=TRUE);
    # without it a PSU code found in several strata is an error.
    nest: bool = False


class SurveySpec(_Model):
    spec_version: Literal[1] = 1
    survey: SurveyInfo = SurveyInfo()
    files: Files | None = None
    roles: Roles
    labels: dict[str, dict[Code, str]] = {}
    welfare: Welfare
    ppp: PPP | None = None
    poverty_lines: list[PovertyLine] = []
    programmes: list[Programme] = []
    design: DesignOptions = DesignOptions()

    @model_validator(mode="after")
    def _unique_names(self) -> SurveySpec:
        for key, items in (("poverty_lines", self.poverty_lines), ("programmes", self.programmes)):
            names = [i.name for i in items]
            dup = sorted({n for n in names if names.count(n) > 1})
            if dup:
                raise ValueError(f"{key}: names must be unique, repeated: {', '.join(dup)}")
        return self

    def line(self, name: str) -> AbsoluteLine | PPPLine | RelativeLine | QuantileLine:
        for line in self.poverty_lines:
            if line.name == name:
                return line
        names = [ln.name for ln in self.poverty_lines]
        raise SpecError(
            f"unknown poverty line {name!r}",
            where="poverty_lines",
            expected=", ".join(names) or "(no lines in the spec)",
            got=name,
            hint=did_you_mean(name, names),
        )

    def programme(self, name: str) -> Programme:
        for prog in self.programmes:
            if prog.name == name:
                return prog
        names = [p.name for p in self.programmes]
        raise SpecError(
            f"unknown programme {name!r}",
            where="programmes",
            expected=", ".join(names) or "(no programmes in the spec)",
            got=name,
            hint=did_you_mean(name, names),
        )

    def to_yaml(self) -> str:
        """The spec as YAML (defaults included, ``null`` keys left out); ``load_spec`` reads it back."""
        payload = self.model_dump(mode="python", exclude_none=True)
        return yaml.safe_dump(payload, sort_keys=False, allow_unicode=True)


def parse_spec(payload: Any, source: str = "spec") -> SurveySpec:
    """Validate a parsed YAML mapping; errors become one :class:`SpecError`."""
    from sp2lnob.survey.spec_errors import spec_error_from_validation

    if not isinstance(payload, dict):
        raise SpecError(
            "a survey spec must be a mapping of keys",
            where=source,
            expected="keys spec_version, survey, files, roles, welfare, ...",
            got=type(payload).__name__,
        )
    try:
        spec = SurveySpec.model_validate(payload)
    except ValidationError as exc:
        raise spec_error_from_validation(exc, source, SurveySpec) from None
    check_categories(spec, source)
    return spec


def load_spec(path: str | Path) -> SurveySpec:
    """Read and validate a survey spec YAML file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            "survey spec not found", where=str(p), hint="check the path, or run `sp2lnob spec init SURVEY`"
        ) from None
    except UnicodeDecodeError:
        raise InputError("the survey spec is not UTF-8 text", where=str(p),
                         hint="save the file with UTF-8 encoding (e.g. 'Save as... UTF-8' in your editor)") from None
    except OSError as exc:
        raise InputError("cannot read the survey spec", where=str(p), got=str(exc)) from None
    try:
        payload = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{p.name}: line {mark.line + 1}, column {mark.column + 1}" if mark else p.name
        raise SpecError(
            "the survey spec is not valid YAML",
            where=where,
            got=getattr(exc, "problem", None) or str(exc),
            hint="check indentation and that every `key: value` has a space after the colon",
        ) from None
    return parse_spec(payload, p.name)


def check_categories(spec: SurveySpec, source: str) -> None:
    """ASPIRE / SPI categories and the equivalence scale must exist in the parameter files."""
    from sp2lnob.survey.welfare import SCALE_NAMES

    problems: list[ErrorDetail] = []
    aspire = list(load_parameters("aspire_categories.yaml")["categories"])
    spi = list(load_parameters("spi_categories.yaml")["revised_2012"]["categories"])
    for i, prog in enumerate(spec.programmes):
        for key, value, allowed, param in (
            ("aspire", prog.aspire, aspire, "aspire_categories.yaml"),
            ("spi", prog.spi, spi, "spi_categories.yaml (revised_2012)"),
        ):
            if value is not None and value not in allowed:
                problems.append(
                    ErrorDetail(
                        what=f"unknown {key} category {value!r}",
                        where=f"{source}: programmes[{i}].{key}",
                        expected=f"one of {', '.join(allowed)} ({param})",
                        got=value,
                        hint=did_you_mean(value, allowed),
                    )
                )
    scale = spec.welfare.equivalence_scale
    if scale not in SCALE_NAMES:
        problems.append(
            ErrorDetail(
                what=f"unknown equivalence scale {scale!r}",
                where=f"{source}: welfare.equivalence_scale",
                expected=", ".join(SCALE_NAMES),
                got=scale,
                hint=did_you_mean(scale, SCALE_NAMES),
            )
        )
    elif scale == "custom" and spec.welfare.custom_scale is None:
        problems.append(
            ErrorDetail(
                what="equivalence_scale: custom needs custom_scale",
                where=f"{source}: welfare.custom_scale",
                expected="{first_adult: 1, other_adult: 0.5, child: 0.3, child_max_age: 13}",
            )
        )
    if problems:
        first = problems[0]
        raise SpecError(
            first.what if len(problems) == 1 else f"{len(problems)} problems in the survey spec",
            where=first.where,
            expected=first.expected,
            got=first.got,
            hint=first.hint,
            details=problems if len(problems) > 1 else (),
        )
