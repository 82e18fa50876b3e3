"""Variance of a weighted total under the sampling design (Taylor linearisation core).

For a linearised variable ``z`` (see :mod:`sp2lnob.variance.influence`) the
variance of a nonlinear estimator is approximated by the variance of the
weighted total ``t = sum_i w_i z_i``. Under with-replacement sampling of PSUs
within strata (the "ultimate cluster" approximation, Wolter 2007 §1.5; R
survey's ``svyrecvar`` with one stage):

    V(t) = sum_h (1 - f_h) n_h / (n_h - 1) sum_j (t_hj - tbar_h)^2

where ``t_hj = sum_{i in PSU j of stratum h} w_i z_i``, ``n_h`` the number of
PSUs in stratum ``h``, ``tbar_h`` their mean and ``f_h`` the first-stage
sampling fraction (``Design.fpc``; 0 when absent). PSUs are nested in strata
(R ``svydesign(..., nest=TRUE)``): the same PSU code in two strata is two PSUs.
Rows without PSU codes are their own PSU; a design without strata is one stratum.

Strata with a single PSU ("lonely PSUs") have no within-stratum variance. As in
R's ``options(survey.lonely.psu=)`` (``survey:::onestrat``/``onestage``):

``None`` (default)
    error naming the stratum (R's ``"fail"``).
``"remove"`` / ``"certainty"``
    the stratum contributes 0 (R gives both the same variance).
``"adjust"``
    the single PSU is centred at zero (the population mean of the linearised
    variable) instead of at its stratum mean: contributes ``(1 - f_h) t_h1^2``.
``"average"``
    the stratum gets the average contribution of the other strata: the sum over
    strata with several PSUs is multiplied by ``H / H_ok``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sp2lnob.errors import DataError, InputError, did_you_mean
from sp2lnob.survey.design import Design

LONELY_PSU_OPTIONS = ("adjust", "average", "remove", "certainty")


@dataclass(frozen=True, eq=False)
class PsuStructure:
    """PSU of each row (0..P-1, nested in strata), stratum of each PSU, PSUs per stratum."""

    row_psu: np.ndarray        # (n,) PSU index of each row
    psu_stratum: np.ndarray    # (P,) stratum index of each PSU
    psu_per_stratum: np.ndarray  # (H,) number of PSUs in each stratum
    psu_fraction: np.ndarray   # (P,) first-stage sampling fraction of the PSU's stratum

    @property
    def n_psu(self) -> int:
        return int(self.psu_stratum.size)

    @property
    def n_strata(self) -> int:
        return int(self.psu_per_stratum.size)

    @property
    def degrees_of_freedom(self) -> int:
        """Design degrees of freedom, PSUs minus strata (R ``degf()``)."""
        return self.n_psu - self.n_strata


def psu_structure(design: Design) -> PsuStructure:
    """PSU/stratum bookkeeping of ``design`` (one ``np.unique`` over rows)."""
    n = design.n
    strata = np.zeros(n, dtype=np.int64) if design.strata is None else np.asarray(design.strata)
    if design.psu is None:
        row_psu = np.arange(n, dtype=np.int64)
        first = row_psu
    else:
        # Design stores dense PSU codes 0..P-1. When no code appears in two strata
        # (the usual case) they are already nested: no sort needed.
        psu = np.asarray(design.psu, dtype=np.int64)
        n_codes = int(psu.max()) + 1
        first = _some_row(psu, n_codes)
        if np.array_equal(strata[first][psu], strata):
            row_psu = psu
        else:  # nest PSUs in strata: (stratum, psu) pairs -> one code (R nest=TRUE)
            key = strata.astype(np.int64) * n_codes + psu
            _, first, row_psu = np.unique(key, return_index=True, return_inverse=True)
    _, psu_stratum = np.unique(strata[first], return_inverse=True)
    psu_per_stratum = np.bincount(psu_stratum)
    if design.fpc is None:
        psu_fraction = np.zeros(first.size)
    else:
        fpc = np.asarray(design.fpc, dtype=float)
        psu_fraction = fpc[first]  # one row's value per PSU; checked against every row below
        row_stratum = psu_stratum[row_psu]
        stratum_fraction = np.zeros(psu_per_stratum.size)
        stratum_fraction[psu_stratum] = psu_fraction
        varies = fpc != stratum_fraction[row_stratum]
        if varies.any():
            raise DataError(
                "the sampling fraction (fpc) varies within a stratum",
                where="Design.fpc",
                expected="one first-stage sampling fraction per stratum",
                got=f"{int(varies.sum())} rows differ from their stratum's first value",
                hint="fpc is the fraction of PSUs sampled in the row's stratum",
            )
        psu_fraction = stratum_fraction[psu_stratum]
    return PsuStructure(row_psu.astype(np.int64), psu_stratum.astype(np.int64),
                        psu_per_stratum, psu_fraction)


def _some_row(codes: np.ndarray, n_codes: int) -> np.ndarray:
    """Index of one row (any) of each code 0..n_codes-1 (every code present)."""
    rows = np.empty(n_codes, dtype=np.int64)
    rows[codes] = np.arange(codes.size, dtype=np.int64)
    return rows


def linearization_variance(
    z: np.ndarray,
    design: Design,
    *,
    lonely_psu: str | None = None,
    structure: PsuStructure | None = None,
) -> float:
    """Design variance of the weighted total ``sum_i w_i z_i`` (formula in the module docstring).

    ``z`` is the linearised variable, one value per row of ``design`` (zero for
    rows outside a domain). ``structure`` may be passed to reuse the PSU
    bookkeeping across several calls on the same design.
    """
    s = structure if structure is not None else psu_structure(design)
    zz = np.asarray(z, dtype=float)
    if zz.shape != (design.n,):
        raise DataError("linearised variable has the wrong length", where="linearization_variance()",
                        expected=f"{design.n} values (one per design row)", got=f"shape {zz.shape}")
    check_lonely_psu_option(lonely_psu, where="linearization_variance()")
    t_psu = np.bincount(s.row_psu, weights=design.weights * zz, minlength=s.n_psu)
    return _variance_from_psu_totals(t_psu, s, lonely_psu)


def check_lonely_psu_option(lonely_psu: str | None, *, where: str) -> None:
    """Refuse an unknown ``lonely_psu`` option (R's ``options(survey.lonely.psu=)`` names)."""
    if lonely_psu is not None and lonely_psu not in LONELY_PSU_OPTIONS:
        raise InputError(f"unknown lonely_psu option {lonely_psu!r}", where=where,
                         expected=list(LONELY_PSU_OPTIONS), got=lonely_psu,
                         hint=did_you_mean(str(lonely_psu), LONELY_PSU_OPTIONS))


def lonely_strata(s: PsuStructure, lonely_psu: str | None) -> np.ndarray:
    """Mask of strata with a single PSU; an error naming them unless an option says what to do."""
    n_h = s.psu_per_stratum
    lonely = n_h == 1
    if lonely.any() and lonely_psu is None:
        codes = np.flatnonzero(lonely)
        raise DataError(
            f"{codes.size} stratum/strata with a single PSU: no within-stratum variance",
            where=f"stratum code(s) {codes[:10].tolist()}",
            expected="at least two PSUs in every stratum",
            got=f"{codes.size} of {n_h.size} strata with one PSU",
            hint="collapse the stratum with a similar one, or pass lonely_psu='adjust', "
                 "'average', 'remove' or 'certainty' (as R's options(survey.lonely.psu=))",
        )
    return lonely


def psu_totals_variance(t_psu: np.ndarray, structure: PsuStructure, *, lonely_psu: str | None = None) -> float:
    """Design variance of a total from its PSU totals ``t_hj`` (the module docstring's formula);
    for callers that sum ``w z`` by PSU themselves (e.g. household-level tables)."""
    check_lonely_psu_option(lonely_psu, where="psu_totals_variance()")
    return _variance_from_psu_totals(np.asarray(t_psu, dtype=float), structure, lonely_psu)


def _variance_from_psu_totals(t_psu: np.ndarray, s: PsuStructure, lonely_psu: str | None) -> float:
    n_h = s.psu_per_stratum
    lonely = lonely_strata(s, lonely_psu)
    stratum_mean = np.bincount(s.psu_stratum, weights=t_psu, minlength=n_h.size) / n_h
    dev = t_psu - stratum_mean[s.psu_stratum]
    if lonely_psu == "adjust":
        # R centres a lonely PSU at 0 (the population mean of z) instead of its own value
        dev = np.where(lonely[s.psu_stratum], t_psu, dev)
    ss = np.bincount(s.psu_stratum, weights=dev * dev, minlength=n_h.size)
    stratum_fraction = np.zeros(n_h.size)
    stratum_fraction[s.psu_stratum] = s.psu_fraction
    factor = (1.0 - stratum_fraction) * np.where(lonely, 1.0, n_h / np.maximum(n_h - 1, 1))
    contrib = factor * ss
    if lonely_psu == "average" and lonely.any():
        n_ok = int((~lonely).sum())
        if n_ok == 0:
            raise DataError("every stratum has a single PSU", where="lonely_psu='average'",
                            hint="collapse strata so that some have two or more PSUs")
        return float(contrib[~lonely].sum() * n_h.size / n_ok)
    return float(contrib.sum())
