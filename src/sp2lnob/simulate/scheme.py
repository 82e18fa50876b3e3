"""Schemes and packages: dated, sourced YAML validated with pydantic.

A *scheme* is one non-contributory benefit (spec ``docs/simulator.md`` and
``/shared/spec/simulator.md`` §2): an eligibility rule, a benefit rule, a
coverage rule, an administrative cost share and a payment period. A
*package* is several schemes paid together, on top of the survey's
programmes or replacing named ones. Unknown keys are errors; a bad file
raises :class:`~sp2lnob.errors.SpecError` with ``where = "file: key.path"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Literal

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

from sp2lnob.errors import ErrorDetail, InputError, SpecError, did_you_mean

Period = Literal["daily", "monthly", "yearly"]
Basis = Literal["flat", "gdp_per_capita", "poverty_line", "welfare_gap"]
Allocation = Literal["random", "poorest_first", "pmt"]
Indexation = Literal["none", "price", "wage", "gdp"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Eligibility(_Model):
    """``when``: a safe expression over person and household variables (docs/simulator.md)."""

    when: str = "True"


class Taper(_Model):
    """Withdrawal ``rate x max(0, welfare per capita - threshold)`` (per person, x size per household).

    ``threshold`` is an amount in the benefit's ``period`` or the name of a poverty line.
    """

    threshold: float | str
    rate: float = Field(gt=0, le=10)


class Benefit(_Model):
    """How much an eligible unit receives, per year in welfare units after conversion.

    basis flat: ``amount`` per ``period``; gdp_per_capita: ``share`` x GDP per capita
    (yearly); poverty_line: ``share`` x the line ``line``; welfare_gap: ``share`` x
    ``max(0, line - welfare per capita)`` (x household size when ``per: household``).
    """

    per: Literal["person", "household"] = "person"
    basis: Basis = "flat"
    amount: float | None = Field(default=None, ge=0)
    share: float | None = Field(default=None, ge=0)
    line: str | None = None
    period: Period = "yearly"
    cap_per_household: float | None = Field(default=None, ge=0)
    taper: Taper | None = None

    @model_validator(mode="after")
    def _basis_fields(self) -> Benefit:
        if self.basis == "flat":
            if self.amount is None:
                raise ValueError("basis 'flat' needs `amount` (money per `period`)")
            if self.share is not None:
                raise ValueError("basis 'flat' takes `amount`, not `share`")
        else:
            if self.share is None:
                raise ValueError(f"basis {self.basis!r} needs `share` (e.g. 0.04 for 4 %)")
            if self.amount is not None:
                raise ValueError(f"basis {self.basis!r} takes `share`, not `amount`")
        if self.basis in ("poverty_line", "welfare_gap") and self.line is None:
            raise ValueError(f"basis {self.basis!r} needs `line` (a poverty line name of the survey)")
        return self


class Coverage(_Model):
    """Share of the eligible reached and how reached households are chosen.

    ``rate``: share of eligible units (weighted) reached, 0..1 (1 - exclusion error).
    ``inclusion_error``: share of beneficiary households that are not eligible
    (household benefits only). ``pmt_score``: expression ranking households for
    ``allocation: pmt`` (lowest first), with ``pmt_noise`` the sd of a normal
    error added to it (a proxy is an imperfect measure of welfare).
    """

    rate: float = 1.0
    allocation: Allocation = "random"
    seed: int | None = None
    inclusion_error: float = 0.0
    pmt_score: str = "log(welfare)"
    pmt_noise: float = Field(default=0.0, ge=0)

    @field_validator("rate")
    @classmethod
    def _rate(cls, v: float) -> float:
        if not 0.0 <= v <= 1.0:
            raise ValueError(f"coverage rate must be a share between 0 and 1 (got {v}); 80 % is 0.8")
        return v

    @field_validator("inclusion_error")
    @classmethod
    def _inclusion(cls, v: float) -> float:
        if not 0.0 <= v < 1.0:
            raise ValueError(f"inclusion_error must be a share in [0, 1) (got {v})")
        return v


class Scheme(_Model):
    """One benefit. ``date`` and ``source`` are required: a scheme is a dated, sourced parameter."""

    scheme_version: Literal[1] = 1
    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    label: str | None = None
    date: date
    source: str
    description: str | None = None
    eligibility: Eligibility = Eligibility()
    benefit: Benefit
    coverage: Coverage = Coverage()
    admin_cost: float = Field(default=0.0, ge=0, le=1)
    payment_period: Period = "monthly"
    indexation: Indexation = "price"
    _origin: str = PrivateAttr(default="")

    def where(self, key: str) -> str:
        """``"file.yaml (name): key"`` for error messages (the file the scheme was read from, if any)."""
        origin = f"{self._origin} ({self.name})" if self._origin and self._origin != self.name else self.name
        return f"{origin}: {key}"

    @model_validator(mode="after")
    def _inclusion_needs_household(self) -> Scheme:
        if self.coverage.inclusion_error > 0 and self.benefit.per != "household":
            raise ValueError(
                "coverage.inclusion_error needs benefit.per: household "
                "(an ineligible household has no eligible member to pay per person)"
            )
        return self

    @property
    def title(self) -> str:
        return self.label or self.name

    def with_values(self, updates: dict[str, Any]) -> Scheme:
        """A copy with dotted keys replaced (``{"benefit.share": 0.06}``), validated again."""
        payload = self.model_dump(mode="python")
        for dotted, value in updates.items():
            node = payload
            keys = dotted.split(".")
            for key in keys[:-1]:
                if not isinstance(node.get(key), dict):
                    node[key] = {} if node.get(key) is None else node[key]
                node = node[key]
            node[keys[-1]] = value
        return parse_scheme(payload, source=f"{self.name} (with {', '.join(updates)})")


@dataclass(frozen=True)
class Package:
    """Schemes paid together; ``replaces`` names survey programmes removed first."""

    schemes: tuple[Scheme, ...]
    replaces: tuple[str, ...] = ()
    name: str = "package"

    def __post_init__(self) -> None:
        object.__setattr__(self, "schemes", tuple(self.schemes))
        object.__setattr__(self, "replaces", tuple(self.replaces))
        if not self.schemes:
            raise SpecError("a package needs at least one scheme", where=self.name,
                            hint="pass --scheme NAME_OR_FILE (see `sp2lnob schemes`)")
        names = [s.name for s in self.schemes]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise SpecError("scheme names must be unique within a package", where=self.name,
                            got=", ".join(dup), hint="give each scheme its own `name`")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.schemes)

    def scheme(self, name: str) -> Scheme:
        for s in self.schemes:
            if s.name == name:
                return s
        raise SpecError(f"no scheme {name!r} in the package", where=self.name,
                        expected=", ".join(self.names), got=name, hint=did_you_mean(name, self.names))

    def replace_scheme(self, scheme: Scheme) -> Package:
        return Package(tuple(scheme if s.name == scheme.name else s for s in self.schemes),
                       self.replaces, self.name)


# --- loading -----------------------------------------------------------------

def _loc(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc if not str(p).startswith("function-after"))


def _error(exc: ValidationError, source: str) -> SpecError:
    details = []
    for err in exc.errors():
        path = _loc(err["loc"])
        where = f"{source}: {path}" if path else source
        if err["type"] == "extra_forbidden":
            field = str(err["loc"][-1])
            known = _known_keys(err["loc"][:-1])
            details.append(ErrorDetail(what=f"unknown key {field!r}", where=where,
                                       expected=", ".join(known), got=field,
                                       hint=did_you_mean(field, known)))
        elif err["type"] == "missing":
            details.append(ErrorDetail(what=f"missing required key {str(err['loc'][-1])!r}", where=where))
        else:
            msg = str(err.get("msg", "")).removeprefix("Value error, ")
            details.append(ErrorDetail(what=f"invalid value for {path or 'the scheme'}: {msg}",
                                       where=where, got=repr(err.get("input"))[:120]))
    first = details[0]
    return SpecError(first.what if len(details) == 1 else f"{len(details)} problems in the scheme: {first.what}",
                     where=first.where, expected=first.expected, got=first.got, hint=first.hint,
                     details=details if len(details) > 1 else ())


def _known_keys(loc: tuple[Any, ...]) -> list[str]:
    model: type[BaseModel] = Scheme
    for part in loc:
        field = model.model_fields.get(str(part))
        ann = getattr(field, "annotation", None) if field else None
        candidates = [a for a in getattr(ann, "__args__", (ann,)) if isinstance(a, type) and issubclass(a, BaseModel)]
        if not candidates:
            return sorted(model.model_fields)
        model = candidates[0]
    return sorted(model.model_fields)


def parse_scheme(payload: Any, source: str = "scheme") -> Scheme:
    """Validate a parsed YAML mapping as a :class:`Scheme`."""
    if not isinstance(payload, dict):
        raise SpecError("a scheme must be a mapping of keys", where=source,
                        expected="keys name, date, source, eligibility, benefit, coverage, ...",
                        got=type(payload).__name__)
    try:
        scheme = Scheme.model_validate(payload)
    except ValidationError as exc:
        raise _error(exc, source) from None
    if source != "scheme":
        scheme._origin = source
    return scheme


def _schemes_dir():
    return resources.files("sp2lnob.parameters").joinpath("schemes")


def ready_scheme_names() -> list[str]:
    """Names of the ready schemes shipped in ``parameters/schemes/``."""
    return sorted(p.name[:-5] for p in _schemes_dir().iterdir()
                  if p.name.endswith(".yaml") and not p.name.startswith("_"))


def load_scheme(name_or_path: str | Path) -> Scheme:
    """A ready scheme by name (``universal_child_benefit``) or a scheme YAML file."""
    text_name = str(name_or_path)
    path = Path(text_name)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError("scheme file not found", where=str(path),
                             hint="give a YAML path or a ready scheme name (see `sp2lnob schemes`)") from None
        except UnicodeDecodeError:
            raise InputError("the scheme file is not UTF-8 text", where=str(path),
                             hint="save the file with UTF-8 encoding") from None
        except OSError as exc:
            raise InputError("cannot read the scheme file", where=str(path), got=str(exc)) from None
        source = str(path)
    else:
        names = ready_scheme_names()
        if text_name not in names:
            raise InputError(f"unknown ready scheme {text_name!r}", where="--scheme",
                             expected=", ".join(names), got=text_name,
                             hint=did_you_mean(text_name, names) or "or give a path to a scheme YAML file")
        text = _schemes_dir().joinpath(text_name + ".yaml").read_text(encoding="utf-8")
        source = f"parameters/schemes/{text_name}.yaml"
    try:
        payload = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SpecError("scheme file is not valid YAML", where=source, got=str(exc).splitlines()[0]) from None
    return parse_scheme(payload, source)


def make_package(schemes: Sequence[str | Path | Scheme], replaces: Sequence[str] = (),
                 name: str = "package") -> Package:
    """A :class:`Package` from scheme objects, ready-scheme names or YAML paths."""
    loaded = tuple(s if isinstance(s, Scheme) else load_scheme(s) for s in schemes)
    return Package(loaded, tuple(replaces), name)
