"""SPI inputs from a household survey (both generations; shared/spec/spi.md section 4).

Per programme, from survey weights, poor status (welfare below the national
line) and the household's receipt (flag OR amount > 0):

* beneficiaries: households for SI and LMP (one per household), persons (all
  members, person weight = household weight x size) for SA. Health insurance
  membership cannot be inferred from receipt: HI beneficiaries stay the register's;
* ``poor_share`` = poor beneficiaries / beneficiaries (splits E into E_p and
  E_np; ADB 2005 Table 4.2 col. 3), on the programme's basis;
* ``poor_reached`` = poor persons in receiving households / poor persons (the
  2005 PTR indicator; 2005 Table 4.2 col. 4, 2012 Table 12);
* ``amount_poor_share`` = share of the benefit amounts received by poor
  households (the better basis for E_p), when amounts are recorded;
* ``female_share`` (STR) where the survey says who receives (person-level
  amounts or flags): the amount (or count) share received by women;
* the combined PTR (share of the poor in households receiving any programme)
  and pairwise overlaps OV_AB = 1 - (I_AB - I_A) / I_B = |A and B| / I_B
  (A the larger), with I weighted counts of persons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from sp2lnob.errors import DataError, InputError, SpecError, Warning_
from sp2lnob.spi.register import categories_2012
from sp2lnob.spi.survey_merge import merge_with_register
from sp2lnob.spi.survey_result import SurveyInputs

__all__ = ["merge_with_register", "read_survey_for_spi", "survey_inputs", "survey_inputs_from_arrays"]

# Counting basis by broad category (spi.md section 4).
BASIS = {"SI": "households", "LMP": "households", "SA": "persons"}


def _as_bool(name: str, a: Any, n: int) -> np.ndarray:
    arr = np.asarray(a)
    if arr.shape != (n,):
        raise DataError(f"{name} has the wrong length", expected=n, got=arr.shape)
    return arr.astype(bool)


def _household_codes(hh_id: np.ndarray) -> np.ndarray:
    """Household ids as codes 0..H-1 (ids already small non-negative integers are used as they are)."""
    if hh_id.dtype.kind in "iu" and hh_id.size and hh_id.min() >= 0 and hh_id.max() < 4 * hh_id.size:
        return hh_id.astype(np.int64)
    return np.unique(hh_id, return_inverse=True)[1]


def _joint_counts(receipts: list[np.ndarray], w: np.ndarray, poor: np.ndarray, u: np.ndarray | None = None,
                  *, direct: bool = False) -> dict[str, np.ndarray]:
    """Weighted counts receiving each programme and each pair, overall and among the poor.

    Returns ``persons``, ``persons_poor``, ``households``, ``households_poor``
    (weights ``w`` and ``u``), ``rows`` (sample rows), ``both`` / ``both_poor``
    (k x k, persons) and ``any`` (per row: receives at least one programme).
    Each row's receipt pattern and poor status are coded as one integer, so
    the n rows collapse to the distinct codes (at most 2^(k+1)) in one
    weighted count per weight; every figure is then a small product over
    codes: O(n) memory and a few passes over the rows whatever k.
    ``direct=True`` (or k > 62) uses plain masked sums instead.
    """
    k = len(receipts)
    u = w if u is None else u
    n = w.shape[0]
    if k == 0:
        zero = np.zeros(0)
        return {"persons": zero, "persons_poor": zero, "households": zero, "households_poor": zero,
                "rows": zero, "both": np.zeros((0, 0)), "both_poor": np.zeros((0, 0)), "any": np.zeros(n, bool)}
    if direct or k > 62:  # too many programmes for an int64 code: masked sums
        return {
            "persons": np.array([w[r].sum() for r in receipts]),
            "persons_poor": np.array([w[r & poor].sum() for r in receipts]),
            "households": np.array([u[r].sum() for r in receipts]),
            "households_poor": np.array([u[r & poor].sum() for r in receipts]),
            "rows": np.array([float(r.sum()) for r in receipts]),
            "both": np.array([[w[a & b].sum() for b in receipts] for a in receipts]),
            "both_poor": np.array([[w[a & b & poor].sum() for b in receipts] for a in receipts]),
            "any": np.logical_or.reduce(receipts),
        }
    code = poor.astype(np.int64)
    for j, r in enumerate(receipts):
        code |= r.astype(np.int64) << (j + 1)
    if k <= 16:  # codes index a 2^(k+1) table directly: no sort
        uniq, inverse = np.arange(2 ** (k + 1), dtype=np.int64), code
    else:
        uniq, inverse = np.unique(code, return_inverse=True)
    size = uniq.size
    tw = np.bincount(inverse, weights=w, minlength=size)
    tu = np.bincount(inverse, weights=u, minlength=size)
    tn = np.bincount(inverse, minlength=size).astype(float)
    is_poor = (uniq & 1).astype(float)
    bits = ((uniq[:, None] >> np.arange(1, k + 1)) & 1).astype(float)   # codes x programmes
    return {
        "persons": bits.T @ tw, "persons_poor": bits.T @ (tw * is_poor),
        "households": bits.T @ tu, "households_poor": bits.T @ (tu * is_poor),
        "rows": bits.T @ tn,
        "both": bits.T @ (tw[:, None] * bits), "both_poor": bits.T @ ((tw * is_poor)[:, None] * bits),
        "any": (code >> 1) != 0,
    }


def survey_inputs_from_arrays(
    weights: np.ndarray,
    hh_id: np.ndarray,
    poor: np.ndarray,
    receipts: Mapping[str, np.ndarray],
    categories: Mapping[str, str],
    *,
    hh_weights: np.ndarray | None = None,
    amounts: Mapping[str, np.ndarray] | None = None,
    recipient_female: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None,
    survey_name: str = "survey",
    line: str = "national",
) -> SurveyInputs:
    """SPI inputs from plain per-row arrays (one row per person or per household).

    ``weights``: person weight of each row (household rows: household weight x
    size); ``hh_id``: household of each row; ``hh_weights``: household weight of
    each row (default: ``weights``, right for person rows); ``poor``: row is
    poor; ``receipts[name]``: the row's household receives the programme;
    ``categories[name]``: its 2012 detailed category; ``amounts[name]``: the
    household's yearly amount (LCU), repeated on each of its rows;
    ``recipient_female[name] = (own_amount_or_flag, female)``: per-row amount
    (or 0/1 flag) received by that person and whether the person is a woman.
    """
    w = np.asarray(weights, dtype=float)
    n = w.shape[0]
    if np.any(~np.isfinite(w)) or np.any(w < 0):
        raise DataError("survey weights must be finite and non-negative", where="weights")
    poor_b = _as_bool("poor", poor, n)
    codes = _household_codes(np.asarray(hh_id))
    rows_per_hh = np.bincount(codes)
    hw = w if hh_weights is None else np.asarray(hh_weights, dtype=float)
    # Household unit weight per row: summed over a household's rows it gives the household weight,
    # so sums of u count households once whether rows are persons or households.
    u = hw / rows_per_hh[codes]
    broad_of = categories_2012()
    amounts = amounts or {}
    recipient_female = recipient_female or {}
    poor_pop = float(w[poor_b].sum())
    rows: list[dict[str, Any]] = []
    warnings: list[Warning_] = []
    names = list(receipts)
    receipt_rows = [_as_bool(f"receipt of {name}", receipts[name], n) for name in names]
    t = _joint_counts(receipt_rows, w, poor_b, u)
    u_poor = u * poor_b
    # One iteration per programme (a dozen): the counts come from the tables above.
    for j, name in enumerate(names):
        cat = categories.get(name)
        broad = broad_of.get(cat) if cat else None
        if broad is None:
            raise SpecError(f"programme {name!r} has no SPI category", where=f"programmes.{name}.spi",
                            expected=", ".join(broad_of), got=cat)
        basis = BASIS[broad]
        hh_count, person_count = float(t["households"][j]), float(t["persons"][j])
        ben = hh_count if basis == "households" else person_count
        poor_ben = float(t["households_poor"][j] if basis == "households" else t["persons_poor"][j])
        row: dict[str, Any] = {
            "programme": name, "category": cat, "broad": broad, "basis": basis,
            "beneficiaries": ben if cat != "HI" else None,
            "beneficiary_households": hh_count, "beneficiary_persons": person_count,
            "poor_beneficiaries": poor_ben,
            "poor_share": poor_ben / ben if ben > 0 else None,
            "poor_reached": float(t["persons_poor"][j]) / poor_pop if poor_pop > 0 else None,
            "amount_total": None, "amount_poor_share": None, "female_share": None,
            "sample_rows_receiving": int(round(t["rows"][j])),
        }
        if cat == "HI":
            warnings.append(Warning_(f"{name}: health insurance membership cannot be inferred from receipt; "
                                     "its beneficiaries stay the register's", where=f"programmes.{name}"))
        if name in amounts:
            amount = np.asarray(amounts[name], dtype=float)
            total = float(u @ amount)
            row["amount_total"] = total
            row["amount_poor_share"] = float(u_poor @ amount) / total if total > 0 else None
        if name in recipient_female:
            own, female = (np.asarray(x, dtype=float) for x in recipient_female[name])
            paid_by_row = w * own
            paid = float(paid_by_row.sum())
            row["female_share"] = float(paid_by_row @ female) / paid if paid > 0 else None
        if row["sample_rows_receiving"] == 0:
            warnings.append(Warning_(f"{name}: no sample household receives it", where=f"programmes.{name}"))
        rows.append(row)
    programmes = pl.DataFrame(rows, schema={
        "programme": pl.String, "category": pl.String, "broad": pl.String, "basis": pl.String,
        "beneficiaries": pl.Float64, "beneficiary_households": pl.Float64, "beneficiary_persons": pl.Float64,
        "poor_beneficiaries": pl.Float64, "poor_share": pl.Float64, "poor_reached": pl.Float64,
        "amount_total": pl.Float64, "amount_poor_share": pl.Float64, "female_share": pl.Float64,
        "sample_rows_receiving": pl.Int64,
    })
    counts, both, counts_p, both_p, any_r = t["persons"], t["both"], t["persons_poor"], t["both_poor"], t["any"]
    pairs = []
    for ia in range(len(names)):  # k(k-1)/2 pairs of a dozen programmes
        for ib in range(ia + 1, len(names)):
            a, b = ia, ib
            big, small = (a, b) if counts[a] >= counts[b] else (b, a)
            union = counts[a] + counts[b] - both[a, b]
            pairs.append({
                "programme_a": names[big], "programme_b": names[small], "i_a": counts[big], "i_b": counts[small],
                "i_ab": union, "overlap": 1 - (union - counts[big]) / counts[small] if counts[small] > 0 else None,
                "overlap_poor": both_p[a, b] / counts_p[small] if counts_p[small] > 0 else None,
            })
    overlaps = pl.DataFrame(pairs, schema={"programme_a": pl.String, "programme_b": pl.String, "i_a": pl.Float64,
                                           "i_b": pl.Float64, "i_ab": pl.Float64, "overlap": pl.Float64,
                                           "overlap_poor": pl.Float64})
    return SurveyInputs(
        survey=survey_name, line=line, population=float(w.sum()), poor_population=poor_pop,
        households=float(u.sum()),
        combined_ptr=float(w[any_r & poor_b].sum()) / poor_pop if poor_pop > 0 else float("nan"),
        combined_coverage=float(w[any_r].sum()) / float(w.sum()),
        programmes=programmes, overlaps=overlaps, warnings=tuple(warnings),
    )


def _female_code(survey: Any, female_code: Any) -> Any:
    if female_code is not None:
        return female_code
    column = survey.resolve("sex")
    labels = survey.labels.get(column, {})
    found = [code for code, label in labels.items() if str(label).strip().lower() in {"female", "woman", "women", "f"}]
    if len(found) != 1:
        raise SpecError("cannot tell which sex code means female", where=f"labels.{column}",
                        expected="a value label 'Female', or female_code=...", got=labels)
    return found[0]


def survey_inputs(survey: Any, *, line: str = "national", female_code: Any = None,
                  programmes: list[str] | None = None) -> SurveyInputs:
    """SPI inputs for every programme of ``survey`` with an ``spi`` category (adapter to the arrays core)."""
    from sp2lnob.survey.welfare import period_factor

    if line not in survey.lines:
        raise InputError(f"the survey has no poverty line {line!r}", expected=", ".join(survey.lines), got=line)
    codes = categories_2012()
    unknown = [name for name in programmes or [] if name not in {p.name for p in survey.programmes}]
    if unknown:
        raise InputError(f"the survey spec has no programme {unknown[0]!r}", got=unknown,
                         expected=", ".join(p.name for p in survey.programmes))
    chosen = [p for p in survey.programmes if programmes is None or p.name in programmes]
    progs = [p for p in chosen if p.spi is not None and p.spi.upper() in codes]
    skipped = [p.name for p in chosen if p.spi is None]
    other = [p.name for p in chosen if p.spi is not None and p.spi.upper() not in codes]
    if not progs:
        raise SpecError("no programme of the survey spec has an `spi:` category", where="programmes",
                        hint="add `spi: PEN` (etc.) to the programmes that count in the SPI")
    poor = survey.welfare < survey.line_values(line)
    to_year = period_factor(survey.spec.welfare.output_period, "yearly")
    receipts = {p.name: survey.programme_receipt(p.name) for p in progs}
    amounts = {p.name: survey.programme_amount_hh(p.name) * to_year for p in progs if p.amount is not None}
    female_people: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if survey.level == "person" and "sex" in survey.roles:
        female = survey.column("sex") == _female_code(survey, female_code)
        for p in progs:
            if p.unit == "person":
                own = survey.data[p.amount if p.amount is not None else p.receipt].cast(pl.Float64).fill_null(0.0)
                female_people[p.name] = (own.to_numpy() if p.amount is not None else (own.to_numpy() != 0), female)
    weights = survey.weights  # person weights (household rows: household weight x size)
    result = survey_inputs_from_arrays(weights, survey.household_codes, poor, receipts,
                                       {p.name: str(p.spi).upper() for p in progs}, hh_weights=survey.hh_weights,
                                       amounts=amounts, recipient_female=female_people,
                                       survey_name=survey.spec.survey.name or "survey", line=line)
    result = replace(result, year=survey.spec.survey.year)
    if other:
        result = result.with_warning(Warning_(
            f"{len(other)} survey programme(s) with a category outside the revised SPI (e.g. micro-finance) "
            "were left out", count=len(other), extra={"programmes": other}))
    if skipped:
        result = result.with_warning(Warning_(f"{len(skipped)} survey programme(s) without an SPI category were "
                                              "left out", count=len(skipped), extra={"programmes": skipped}))
    return result


def read_survey_for_spi(spec: str | Path, data: str | Path | None = None) -> Any:
    """Read the survey of ``spec`` (``data`` overrides the spec's files with one merged file)."""
    from sp2lnob import read_survey

    if data is None:
        return read_survey(spec)
    from sp2lnob.survey import read_table

    frame, _, _ = read_table(data)
    return read_survey(spec, data=frame)

