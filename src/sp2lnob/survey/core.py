"""The ``Survey``: data (Polars, one row per person or household) + frozen ``Design``.

Immutable: arrays are read-only and every change (``with_data``) builds a
new ``Survey`` through the same validation as :func:`read_survey`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from sp2lnob.errors import SpecError, Warning_, did_you_mean
from sp2lnob.survey.design import Design
from sp2lnob.survey.spec import Programme, Roles, SurveySpec

# Roles that name a column, as opposed to options (weight_type, urban_value, head_value).
COLUMN_ROLES: tuple[str, ...] = tuple(
    name for name in Roles.model_fields if name not in ("weight_type", "urban_value", "head_value")
)
CANONICAL = ("hh_id", "person_id", "weight", "hh_weight", "hh_size", "welfare", "strata", "psu")
DERIVED = ("is_head", "head_sex", "head_age", "head_education", "welfare_ppp", "equivalent_size")
# Role names that differ from their canonical column name in frame().
_ALIASES = {"household_id": "hh_id", "household_size": "hh_size"}


def _readonly(a: np.ndarray) -> np.ndarray:
    arr = np.array(a, copy=True)
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class Survey:
    """A validated survey. Build it with :func:`sp2lnob.read_survey`.

    weights: person (analysis) weight of each row: on person rows the household
    weight; on household rows household weight x size, so they sum to the population.
    welfare: welfare per person (or per adult equivalent) in LCU per ``output_period``.
    welfare_divisor: household size, or adult equivalents when welfare is equivalised.
    """

    spec: SurveySpec
    data: pl.DataFrame
    design: Design
    level: str  # "person" | "household"
    weights: np.ndarray
    hh_weights: np.ndarray
    hh_size: np.ndarray
    welfare: np.ndarray
    welfare_divisor: np.ndarray
    household_codes: np.ndarray
    labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    var_labels: dict[str, str] = field(default_factory=dict)
    report: tuple[Warning_, ...] = ()
    base_dir: Path | None = None

    def __post_init__(self) -> None:
        for name in ("weights", "hh_weights", "hh_size", "welfare", "welfare_divisor", "household_codes"):
            object.__setattr__(self, name, _readonly(getattr(self, name)))

    # ---- counts -------------------------------------------------------------
    @property
    def n_households(self) -> int:
        return int(self.household_codes.max()) + 1 if self.household_codes.size else 0

    @property
    def n_persons(self) -> int:
        """Persons in the sample: person rows, or the sum of household sizes on household rows."""
        return self.data.height if self.level == "person" else int(self.hh_size.sum())

    @property
    def roles(self) -> dict[str, str]:
        """Role -> column for every role the spec maps."""
        r = self.spec.roles
        return {name: getattr(r, name) for name in COLUMN_ROLES if getattr(r, name) is not None}

    # ---- columns ------------------------------------------------------------
    def resolve(self, role_or_column: str) -> str:
        """The data column behind a role name (``"age"`` -> ``"age_years"``) or a column name."""
        roles = self.roles
        if role_or_column in roles:
            return roles[role_or_column]
        if role_or_column in self.data.columns:
            return role_or_column
        candidates = [*roles, *self.data.columns, *CANONICAL, *DERIVED]
        raise SpecError(
            f"{role_or_column!r} is neither a role of the spec nor a column of the data",
            where="Survey.column",
            expected="a role (age, sex, urban, ...) mapped in the spec, or a column",
            got=role_or_column,
            hint=did_you_mean(role_or_column, candidates),
        )

    def column(self, role_or_column: str) -> np.ndarray:
        """Values of a canonical/derived name, role or raw column, one per row.

        Canonical names win (``weight`` is the person analysis weight, ``urban`` a bool,
        ``hh_size`` the size used), except ``strata``/``psu``: when mapped, their raw codes."""
        name = _ALIASES.get(role_or_column, role_or_column)
        if name in ("strata", "psu") and name in self.roles:
            return self.data[self.roles[name]].to_numpy()
        if name in CANONICAL or name in DERIVED or name in self.roles or name == "urban":
            return self.frame(roles=[name])[name].to_numpy()
        return self.data[self.resolve(role_or_column)].to_numpy()

    def frame(self, roles: Sequence[str] = (), columns: Sequence[str] = ()) -> pl.DataFrame:
        """Canonical columns (hh_id, person_id, weight, hh_weight, hh_size, welfare, strata,
        psu), then the requested ``roles`` (``urban`` as bool; derived ``is_head``,
        ``head_sex``, ``head_age``, ``head_education``, ``welfare_ppp``,
        ``equivalent_size``), then the requested raw ``columns``."""
        from sp2lnob.survey.frames import canonical_frame

        return canonical_frame(self, roles, columns)

    # ---- welfare, lines, programmes -------------------------------------------
    @property
    def welfare_ppp(self) -> np.ndarray:
        """Welfare in international $ per person (or adult equivalent) per day."""
        from sp2lnob.survey.welfare import lcu_to_ppp_daily

        ppp = self.spec.ppp
        if ppp is None:
            raise SpecError(
                "welfare in PPP dollars needs a `ppp:` section in the spec",
                where="ppp",
                expected="ppp: {cpi: ..., factor: ...}",
            )
        return lcu_to_ppp_daily(self.welfare, self.spec.welfare.output_period, ppp.cpi, ppp.factor)

    @property
    def lines(self) -> list[str]:
        return [line.name for line in self.spec.poverty_lines]

    def line_values(self, name: str) -> np.ndarray:
        """Per-row poverty line ``name`` in welfare units (see :mod:`sp2lnob.survey.lines`)."""
        from sp2lnob.survey.lines import line_values

        return line_values(self, name)

    @property
    def programmes(self) -> list[Programme]:
        return list(self.spec.programmes)

    def programme_receipt(self, name: str) -> np.ndarray:
        from sp2lnob.survey.programmes import receipt

        return receipt(self, self.spec.programme(name))

    def programme_amount_hh(self, name: str) -> np.ndarray:
        from sp2lnob.survey.programmes import amount_household

        return amount_household(self, self.spec.programme(name))

    def programme_amount_pc(self, name: str) -> np.ndarray:
        from sp2lnob.survey.programmes import amount_per_unit

        return amount_per_unit(self, self.spec.programme(name))

    # ---- estimation -----------------------------------------------------------
    def estimate(
        self,
        measure: str = "fgt",
        *,
        values: np.ndarray | str | None = None,
        line: str | float | np.ndarray | None = None,
        method: str = "linearization",
        by: np.ndarray | str | None = None,
        **params: Any,
    ) -> Any:
        """``sp2lnob.variance.estimate`` on this survey's welfare (or ``values``) and design.

        ``line`` may be a line name of the spec (converted with :meth:`line_values`);
        ``values`` and ``by`` may be role or column names.
        """
        from sp2lnob.variance import estimate

        vals = self.welfare if values is None else (self.column(values) if isinstance(values, str) else np.asarray(values))
        if line is not None:
            params["line"] = self.line_values(line) if isinstance(line, str) else line
        if isinstance(by, str):
            by = self.column(by)
        if isinstance(params.get("domain"), str):
            params["domain"] = self.column(params["domain"]).astype(bool)
        return estimate(measure, vals, self.design, method=method, by=by, **params)

    # ---- copies ---------------------------------------------------------------
    def with_data(self, df: pl.DataFrame) -> Survey:
        """A new Survey on ``df`` (same spec, labels and level), validated again."""
        from sp2lnob.survey.build import assemble

        return assemble(self.spec, df, self.level, dict(self.labels), dict(self.var_labels), [], self.base_dir)

    # ---- text -----------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        info = self.spec.survey
        return {
            "survey": info.model_dump(exclude_none=True),
            "level": self.level,
            "n_households": self.n_households,
            "n_persons": self.n_persons,
            "population": float(self.weights.sum()),
            "roles": self.roles,
            "welfare": self.spec.welfare.model_dump(exclude_none=True),
            "lines": self.lines,
            "programmes": [p.name for p in self.spec.programmes],
            "report": [w.to_dict() for w in self.report],
        }

    def summary(self) -> str:
        d = self.to_dict()
        w = self.spec.welfare
        lines = [
            f"Survey: {d['survey'].get('name', '(unnamed)')}",
            f"  {self.n_households:,} households, {self.n_persons:,} persons ({self.level}-level rows: {self.data.height:,})",
            f"  population (sum of person weights): {d['population']:,.0f}",
            f"  welfare: {w.variable} ({w.kind}, {w.basis}, {w.period} -> {w.output_period}, scale {w.equivalence_scale})",
            f"  poverty lines: {', '.join(self.lines) or '(none)'}",
            f"  programmes: {', '.join(d['programmes']) or '(none)'}",
        ]
        if self.report:
            lines.append(f"  report ({len(self.report)}):")
            lines.extend(
                f"    - {r.what}" + (f" [{r.count}]" if r.count is not None else "") for r in self.report
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return f"Survey({self.spec.survey.name!r}, households={self.n_households}, rows={self.data.height})"
