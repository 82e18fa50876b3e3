"""The LNOB spec: opportunity indicators and circumstances declared in YAML.

Format (see ``docs/lnob.md``)::

    spec_version: 1
    name: Asiatica LNOB indicators
    circumstances:
      - {name: wealth, builtin: wealth_b40}
      - {name: education, label: Own education, from: education, type: ordered,
         labels: {0: no education, 1: primary}}
    indicators:
      - name: secondary_complete
        label: Completed upper secondary education (aged 20-35)
        outcome: secondary_complete == 1
        population: between(age, 20, 35)
        unit: person
        circumstances: [wealth, urban, region, sex, head_education]

Expressions (``outcome``, ``population``, ``from``) use the restricted syntax
of :mod:`sp2lnob.expressions` (never ``eval``). Unknown keys are errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sp2lnob.errors import ErrorDetail, InputError, SpecError, did_you_mean

BUILTIN_CIRCUMSTANCES: tuple[str, ...] = (
    "wealth_b40", "urban", "region", "sex", "age_band", "education", "head_education", "head_sex",
    "head_age_band", "disability", "hh_size_band", "n_children_under_5", "n_children",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class CircumstanceSpec(_Strict):
    """A circumstance: a built-in (``builtin``) or a column/expression (``from``) with a type."""

    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    label: str | None = None
    builtin: str | None = None
    from_: str | None = Field(default=None, alias="from")
    type: Literal["ordered", "unordered", "continuous"] | None = None
    labels: dict[Any, str] | None = None
    bands: list[float] | None = None          # cut points for banding a numeric source
    phrase: Literal["value", "label: value"] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> CircumstanceSpec:
        if (self.builtin is None) == (self.from_ is None):
            raise ValueError("give exactly one of 'builtin' or 'from'")
        if self.builtin is not None and self.builtin not in BUILTIN_CIRCUMSTANCES:
            hint = did_you_mean(self.builtin, BUILTIN_CIRCUMSTANCES)
            raise ValueError(f"unknown builtin {self.builtin!r}" + (f" ({hint})" if hint else "")
                             + f"; built-ins: {', '.join(BUILTIN_CIRCUMSTANCES)}")
        if self.bands is not None and sorted(self.bands) != list(self.bands):
            raise ValueError("bands must be increasing cut points")
        return self


class IndicatorSpec(_Strict):
    """An opportunity indicator: a 0/1 outcome on a reference population."""

    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    label: str | None = None
    outcome: str
    population: str | None = None
    unit: Literal["person", "household"] = "person"
    barrier: bool = False
    circumstances: list[str] | None = None   # None = all circumstances of the spec
    source: str | None = None


class LnobSpec(_Strict):
    spec_version: Literal[1] = 1
    name: str = "LNOB indicators"
    source: str | None = None
    circumstances: list[CircumstanceSpec]
    indicators: list[IndicatorSpec]
    tree: dict[str, Any] | None = None        # OpportunityTree parameters overriding the defaults

    @model_validator(mode="after")
    def _names(self) -> LnobSpec:
        circ = [c.name for c in self.circumstances]
        ind = [i.name for i in self.indicators]
        for kind, names in (("circumstance", circ), ("indicator", ind)):
            dup = sorted({n for n in names if names.count(n) > 1})
            if dup:
                raise ValueError(f"duplicate {kind} names: {dup}")
        for i in self.indicators:
            for c in i.circumstances or []:
                if c not in circ:
                    hint = did_you_mean(c, circ)
                    raise ValueError(f"indicator {i.name!r} uses undeclared circumstance {c!r}"
                                     + (f" ({hint})" if hint else ""))
        if self.tree:
            allowed = {"max_depth", "min_bucket", "min_share", "cp", "min_split"}
            bad = sorted(set(self.tree) - allowed)
            if bad:
                raise ValueError(f"unknown tree parameters {bad}; allowed: {sorted(allowed)}")
        return self

    def indicator(self, name: str) -> IndicatorSpec:
        for i in self.indicators:
            if i.name == name:
                return i
        names = [i.name for i in self.indicators]
        raise InputError(f"no indicator {name!r} in the LNOB spec", expected=names, got=name,
                         hint=did_you_mean(name, names))

    def circumstances_of(self, indicator: IndicatorSpec) -> list[CircumstanceSpec]:
        wanted = indicator.circumstances
        return [c for c in self.circumstances if wanted is None or c.name in wanted]


def parse_lnob_spec(data: Any, *, where: str = "LNOB spec") -> LnobSpec:
    """Validate a parsed YAML mapping; errors name the key path."""
    if not isinstance(data, dict):
        raise SpecError("the LNOB spec must be a mapping", where=where, got=type(data).__name__)
    try:
        return LnobSpec.model_validate(data)
    except ValidationError as exc:
        details = [ErrorDetail(what=_message(e), where=_location(e["loc"])) for e in exc.errors()]
        first = details[0]
        raise SpecError(f"invalid LNOB spec: {first.what}", where=f"{where}: {first.where}",
                        details=details, hint="see docs/lnob.md for the format") from None


def _message(err: Any) -> str:
    """Pydantic's message without its internal prefix; unknown and missing keys said plainly."""
    if err["type"] == "extra_forbidden":
        return f"unknown key {str(err['loc'][-1])!r}"
    if err["type"] == "missing":
        return f"missing required key {str(err['loc'][-1])!r}"
    return str(err["msg"]).removeprefix("Value error, ")


def _location(loc: tuple[Any, ...]) -> str:
    """``indicators.0.name`` -> ``indicators[0].name`` (the survey spec's key-path style)."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (("." if out else "") + str(part))
    return out


def load_lnob_spec(path: str | Path) -> LnobSpec:
    p = Path(path)
    if not p.is_file():
        raise InputError("LNOB spec file not found", where=str(p), hint="give the path of a YAML file")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError("the LNOB spec is not UTF-8 text", where=str(p),
                         hint="save the file with UTF-8 encoding") from None
    except OSError as exc:
        raise InputError("cannot read the LNOB spec", where=str(p), got=str(exc)) from None
    except yaml.YAMLError as exc:
        raise SpecError("the LNOB spec is not valid YAML", where=str(p), got=str(exc)) from None
    return parse_lnob_spec(data, where=str(p))
