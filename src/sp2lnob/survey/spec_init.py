"""``spec init``: a starter survey spec guessed from a file's column names and labels.

Roles are guessed from names (hhid, weight, psu, ...) and, failing that, from
variable labels ("household identifier", "sampling weight"...). Roles not
found are written as ``null`` with a comment, so the user sees what to fill.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from sp2lnob.survey.readers import read_table

# role -> (regex on the lower-cased column name, regex on the lower-cased variable label)
# First match wins; order of roles matters where patterns overlap (hh size before hh id).
ROLE_PATTERNS: dict[str, tuple[str, str]] = {
    "household_size": (r"^(hh_?size|hhsize|hh_?sz|household_?size|nmem|hsize|famsize)$", r"household size|number of (household )?members"),
    "weight": (r"^(hh_?weight|hhweight|weight|wgt|wt|hh_?wgt|wta_hh|wta_pop|pweight|popweight|wta_hh_c|hhwt|finalwt|expfac|factor)$", r"weight|expansion factor"),
    "household_id": (r"^(hhid|hh_?id|hhld_?id|hhcode|hh_?no|household_?id|hid|idh)$", r"household (id|identifier|number|code)"),
    "person_id": (r"^(pid|person_?id|indid|ind_?id|idp|member_?id|memid|line_?no|pline|indiv)$", r"(person|individual|member) (id|identifier|number|line)"),
    "strata": (r"^(strata|stratum|strat|strataid|strata_?id)$", r"strat"),
    "psu": (r"^(psu|ea|ea_?id|cluster|clust|psu_?id|eacode|ea_?code)$", r"primary sampling unit|enumeration area|cluster"),
    "urban": (r"^(urban|rural|urb_?rur|area|urbrur|ur|urb|location)$", r"urban|rural"),
    "region": (r"^(region|province|reg|prov|state|division|subnatid1|zone)$", r"region|province"),
    "age": (r"^(age|age_?years|ageyrs|agey)$", r"^age\b|age in (completed )?years"),
    "sex": (r"^(sex|gender|male|female)$", r"\bsex\b|gender"),
    "relation": (r"^(relation|relationship|rel_?head|relathead|relhead|relat|rel)$", r"relation(ship)? to (the )?head"),
    "education": (r"^(educ|education|edu|educat\d*|edlevel|educ_?level)$", r"education|schooling"),
    "disability": (r"^(disab|disability|disabled)$", r"disab"),
    "labour_status": (r"^(lstatus|labour_?status|labor_?status|empstat|lfs)$", r"labou?r (force )?status|employment status"),
    "fpc": (r"^(fpc|samp_?frac|sampling_?fraction)$", r"sampling fraction|finite population"),
}
WELFARE_PATTERN = (
    r"^(welfare|pcexp|pc_?exp|pcons|pccons|totexp|hhexp|pcinc|hhinc)$"
    r"|(^|_)(welfare|cons|consumption|expenditure|exp|income|inc)(_|$)",
    r"consumption|expenditure|welfare|income",
)


def guess_roles(columns: list[str], var_labels: dict[str, str]) -> dict[str, str | None]:
    """Role -> column (or None) from names first, then variable labels; a column is used once."""
    taken: set[str] = set()
    found: dict[str, str | None] = {}
    for role, (name_re, label_re) in ROLE_PATTERNS.items():
        found[role] = _match(columns, var_labels, name_re, label_re, taken)
        if found[role] is not None:
            taken.add(found[role])  # type: ignore[arg-type]
    found["welfare"] = _match(columns, var_labels, *WELFARE_PATTERN, taken)
    return found


def _match(columns: list[str], var_labels: dict[str, str], name_re: str, label_re: str, taken: set[str]) -> str | None:
    for col in columns:
        if col not in taken and re.search(name_re, col.lower()):
            return col
    for col in columns:
        label = (var_labels.get(col) or "").lower()
        if col not in taken and label and re.search(label_re, label):
            return col
    return None


def starter_spec(path: str | Path, relative_to: Path | None = None) -> str:
    """YAML text of a starter spec for the survey file ``path`` (comments on what to fill)."""
    p = Path(path)
    df, labels, var_labels = read_table(p)
    roles = guess_roles(df.columns, var_labels)
    file_ref = _relative(p, relative_to)
    out: list[str] = [
        f"# Starter survey spec written by `sp2lnob spec init` from {p.name}",
        f"# ({df.height:,} rows, {df.width} columns). Check every role, fill the nulls, see docs/survey-spec.md.",
        "spec_version: 1",
        "survey:",
        f"  name: {_scalar(p.stem)}",
        "  country: null            # fill",
        "  year: null               # fill",
        "  currency: null           # local currency code",
        "files:",
        f"  data: {_scalar(file_ref)}",
        "roles:",
    ]
    for role in ["household_id", "person_id", "weight"]:
        out.append(_role_line(role, roles[role]))
    out.append("  weight_type: household   # household | person | population (see docs)")
    for role in ROLE_PATTERNS:
        if role in ("household_id", "person_id", "weight"):
            continue
        out.append(_role_line(role, roles[role]))
        if role == "relation":
            out.append("  head_value: " + (_head_code(labels.get(roles["relation"] or "", {})) or "null   # code of the household head in the relation column"))
    spec_labels = {c: labels[c] for c in (roles["urban"], roles["sex"]) if c and c in labels}
    if spec_labels:
        out.append("labels:                     # read from the file; edit if needed")
        for col, mapping in spec_labels.items():
            out.append(f"  {col}: " + yaml.safe_dump(dict(mapping), default_flow_style=True, allow_unicode=True).strip())
    out += [
        "welfare:",
        f"  variable: {_scalar(roles['welfare']) if roles['welfare'] else 'null   # REQUIRED: the welfare aggregate column'}",
        "  kind: consumption         # consumption | income",
        "  basis: per_capita         # per_capita | per_adult_equivalent | household_total",
        "  period: yearly            # daily | monthly | yearly (as stored)",
        "  equivalence_scale: per_capita   # per_capita | oecd | modified_oecd | square_root | custom",
        "  output_period: yearly",
        "# ppp: {cpi: 1.0, factor: 1.0}   # CPI (base = PPP year) and PPP factor (LCU per int. $)",
        "poverty_lines: []           # e.g. - {name: national, type: absolute, value: 25000, period: yearly}",
        "programmes: []              # e.g. - {name: pension, amount: pen_amt, unit: person, aspire: contributory_pensions}",
    ]
    used = {c for c in roles.values() if c}
    other = [c for c in df.columns if c not in used]
    if other:
        shown = ", ".join(other[:40]) + (f", ... ({len(other) - 40} more)" if len(other) > 40 else "")
        out.append(f"# columns not mapped to a role: {shown}")
    return "\n".join(out) + "\n"


def _role_line(role: str, column: str | None) -> str:
    key = f"  {role}: "
    if column is None:
        return f"{key}null".ljust(28) + "  # not found: set the column name, or leave null"
    return f"{key}{_scalar(column)}"


def _head_code(mapping: dict[Any, str]) -> str | None:
    for code, label in mapping.items():
        if re.search(r"\bhead\b", str(label).lower()):
            return _scalar(code)
    return None


def _scalar(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("...").strip()


def _relative(p: Path, base: Path | None) -> str:
    if base is None:
        return p.name
    try:
        return str(p.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(p.resolve())
