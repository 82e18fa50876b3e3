"""Programme sets: single programmes, ASPIRE categories, families, private transfers, all SPL.

Which programme belongs to which category, and which category to which family,
is data (``parameters/aspire_categories.yaml``, World Bank ASPIRE
classification), not code: a set is simply the list of member programmes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sp2lnob.errors import Warning_
from sp2lnob.parameters import load as load_parameters

SET_TYPES = ("programme", "category", "family", "private", "all_spl")


@dataclass(frozen=True)
class ProgrammeInfo:
    """What the indicators need to know about one programme of the survey spec."""

    name: str
    label: str
    aspire: str | None = None
    has_amount: bool = True


@dataclass(frozen=True)
class ProgrammeSet:
    """A named set of programmes whose transfers are pooled (receipt = any member)."""

    name: str
    label: str
    set_type: str
    members: tuple[str, ...]


def build_sets(programmes: Sequence[ProgrammeInfo]) -> tuple[tuple[ProgrammeSet, ...], tuple[Warning_, ...]]:
    """Every set the indicators are computed for, in presentation order.

    Order: each programme; each ASPIRE category present; each SPL family present
    (social assistance, social insurance, labour market); private transfers (all
    private categories); all SPL (every classified non-private programme).
    Programmes without an ASPIRE category appear only on their own (reported).
    """
    params = load_parameters("aspire_categories.yaml")
    categories = params["categories"]
    families = params["families"]
    warnings: list[Warning_] = []
    sets = [ProgrammeSet(p.name, p.label or p.name, "programme", (p.name,)) for p in programmes]
    unclassified = [p.name for p in programmes if p.aspire is None]
    if unclassified:
        warnings.append(Warning_(
            "programmes without an ASPIRE category are reported on their own only "
            "(not in categories, families or all SPL)",
            count=len(unclassified), where=", ".join(unclassified),
            hint="add `aspire:` to the programme in the survey spec"))
    for code, info in categories.items():
        members = tuple(p.name for p in programmes if p.aspire == code)
        if members:
            sets.append(ProgrammeSet(code, info["label"], "category", members))
    for family, label in families.items():
        members = tuple(p.name for p in programmes
                        if p.aspire is not None and categories[p.aspire]["family"] == family)
        if members:
            kind = "private" if family == "private" else "family"
            sets.append(ProgrammeSet(family, label, kind, members))
    spl = tuple(p.name for p in programmes
                if p.aspire is not None and categories[p.aspire]["family"] != "private")
    if spl:
        sets.append(ProgrammeSet("all_spl", "All social protection and labour", "all_spl", spl))
    return tuple(sets), tuple(warnings)


def spl_families() -> dict[str, str]:
    """SPL families (code → label), private transfers excluded (for overlap counts)."""
    return {k: v for k, v in load_parameters("aspire_categories.yaml")["families"].items() if k != "private"}
