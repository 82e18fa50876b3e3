"""One analysis of a country, gathered for the reports: survey headline, indicators, SPI, LNOB, a scheme.

:func:`build_analysis` runs the engines once; the Excel workbook, the HTML/PDF
country report and the policy brief all read the same :class:`Analysis`, so
every output shows the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from sp2lnob import __version__
from sp2lnob.errors import InputError, Warning_


@dataclass(frozen=True)
class Analysis:
    """Everything a report shows; parts not asked for are ``None``.

    ``seed`` is the seed of the simulation's random steps (and of the LNOB
    bootstrap when one is run); ``created`` the ISO date of the run.
    """

    survey_name: str
    country: str
    year: int | None
    currency: str
    spec_path: str
    spec_text: str
    headline: pl.DataFrame
    indicators: Any = None          # performance.IndicatorResult
    spi: Any = None                 # spi.RevisedSPI
    lnob: Any = None                # opportunity.LnobRun (before any transfer)
    simulation: Any = None          # simulate.SimulationResult
    impact: Any = None              # impact.ImpactResult: opportunity after the transfer (needs lnob_spec)
    schemes: tuple[str, ...] = ()
    scheme_texts: tuple[tuple[str, str], ...] = ()
    seed: int = 1
    version: str = __version__
    created: str = field(default_factory=lambda: date.today().isoformat())
    warnings: tuple[Warning_, ...] = ()

    def headline_value(self, name: str, line: str | None = None) -> float:
        """One figure of the survey headline table (e.g. ``"fgt0"`` at ``line``, ``"gini"``)."""
        rows = self.headline.filter(pl.col("name") == name)
        if line is not None:
            rows = rows.filter(pl.col("line") == line)
        if rows.height == 0 or rows["estimate"][0] is None:
            raise InputError(f"no headline figure {name!r}" + (f" at line {line!r}" if line else ""),
                             expected=sorted(set(self.headline["name"].to_list())))
        return float(rows["estimate"][0])

    @property
    def first_line(self) -> str | None:
        lines = self.headline.filter(pl.col("section") == "poverty")["line"].drop_nulls().to_list()
        return lines[0] if lines else None

    def to_frame(self) -> pl.DataFrame:
        """Tidy key figures of every part: part, name, line, value (the numbers the reports quote)."""
        rows: list[tuple[str, str, str | None, float | None]] = [
            ("survey", r["name"], r["line"], r["estimate"]) for r in self.headline.iter_rows(named=True)]
        if self.spi is not None:
            rows += [("spi", k, None, v) for k, v in self.spi.headline().items()]
        if self.simulation is not None:
            sim = self.simulation
            rows += [("simulation", m, None, sim.value(m, "value")) for m in ("cost_pct_gdp", "persons_lifted")]
            rows += [("simulation", f"fgt0_{stage}", ln, sim.value("fgt0", stage, line=ln))
                     for ln in sim.lines for stage in ("pre", "post")]
        return pl.DataFrame({"part": [r[0] for r in rows], "name": [r[1] for r in rows],
                             "line": [r[2] for r in rows],
                             "value": [None if r[3] is None else float(r[3]) for r in rows]},
                            schema={"part": pl.String, "name": pl.String, "line": pl.String, "value": pl.Float64})

    def summary(self) -> str:
        parts = [f"Analysis of {self.survey_name} ({self.country}, {self.year}) with sp2lnob {self.version}"]
        if self.first_line:
            parts.append(f"  poverty headcount ({self.first_line}): {self.headline_value('fgt0', self.first_line):.4f}")
        parts.append(f"  Gini: {self.headline_value('gini'):.4f}")
        if self.spi is not None:
            parts.append(f"  revised SPI {self.spi.year}: {self.spi.spi:.4f}")
        if self.lnob is not None:
            parts.append(f"  LNOB analyses: {len(self.lnob.results)}")
        if self.simulation is not None:
            parts.append(f"  simulated package: {', '.join(self.schemes)} (seed {self.seed})")
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.summary()


def _scheme_text(name_or_path: str) -> tuple[str, str]:
    """The YAML that defines a scheme (ready scheme or file), to print with the results."""
    from sp2lnob.simulate.scheme import ready_scheme_names

    path = Path(name_or_path)
    if path.suffix.lower() in {".yaml", ".yml"} and path.exists():
        return path.stem, path.read_text(encoding="utf-8")
    if name_or_path in ready_scheme_names():
        from importlib.resources import files

        return name_or_path, (files("sp2lnob.parameters") / "schemes" / f"{name_or_path}.yaml").read_text("utf-8")
    return name_or_path, ""


def _impact_module() -> Any:
    """``sp2lnob.impact`` when installed (it is optional here: without it the brief shows LNOB before the
    transfer only)."""
    import importlib

    try:
        return importlib.import_module("sp2lnob.impact")
    except ModuleNotFoundError as exc:
        if exc.name != "sp2lnob.impact":
            raise
        return None


def build_analysis(
    survey_spec: str | Path,
    *,
    register: str | Path | None = None,
    basic_stats: str | Path | None = None,
    spi_year: int | None = None,
    schemes: Sequence[str] = (),
    lnob_spec: str | Path | None = None,
    indicators: bool = True,
    seed: int = 1,
) -> Analysis:
    """Run the engines on one survey (and register) for a report.

    The SPI needs both ``register`` and ``basic_stats``; the LNOB trees need
    ``lnob_spec`` and describe opportunities *before* any simulated transfer;
    ``schemes`` (ready names or YAML files) are simulated as one package with
    ``seed``. With both ``lnob_spec`` and ``schemes``, :mod:`sp2lnob.impact`
    (when installed) measures how the transfer changes access for the groups
    furthest behind.
    """
    from sp2lnob.headline import headline
    from sp2lnob.survey import read_survey

    if (register is None) != (basic_stats is None):
        raise InputError("the SPI needs both a register and basic statistics",
                         where="--register" if register is None else "--basic-stats",
                         hint="give both --register and --basic-stats, or neither")
    spec_path = Path(survey_spec)
    survey = read_survey(spec_path)
    meta = survey.spec.survey
    name = getattr(meta, "name", None) or spec_path.stem
    warnings: list[Warning_] = []
    table = headline(survey)
    ind = None
    if indicators and survey.programmes:
        from sp2lnob.performance import indicators_from_survey

        ind = indicators_from_survey(survey)
    spi = None
    if register is not None and basic_stats is not None:
        from sp2lnob.spi import read_basic_statistics, read_register, revised_spi

        spi = revised_spi(read_basic_statistics(basic_stats, year=spi_year), read_register(register), spi_year)
        warnings += list(spi.warnings)
    lnob = None
    if lnob_spec is not None:
        from sp2lnob.opportunity import run_lnob

        lnob = run_lnob(survey, lnob_spec, shapley=None, seed=seed)
    sim = effect = None
    if schemes:
        from sp2lnob.simulate import make_package, prepare, simulate

        package = make_package(list(schemes), [])
        impact_module = _impact_module() if lnob_spec is not None else None
        if impact_module is not None:
            # SP2LNOB: the trees are grown before the transfer, people re-routed after it.
            base = impact_module.prepare_impact(survey, lnob_spec)
            sim = simulate(base.simulation, package, seed=seed)
            effect = impact_module.impact(base, package, seed=seed, simulation=sim)
        else:
            sim = simulate(prepare(survey), package, seed=seed)
        warnings += list(sim.warnings)
    return Analysis(
        survey_name=name, country=str(getattr(meta, "country", "") or ""), year=getattr(meta, "year", None),
        currency=str(getattr(meta, "currency", "") or "LCU"), spec_path=str(spec_path),
        spec_text=spec_path.read_text(encoding="utf-8"), headline=table, indicators=ind, spi=spi, lnob=lnob,
        simulation=sim, impact=effect, schemes=tuple(schemes), scheme_texts=tuple(_scheme_text(s) for s in schemes), seed=seed,
        warnings=tuple(warnings),
    )
