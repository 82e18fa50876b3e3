"""Which circumstances carry consumption, and the SP2LNOB form of an LNOB spec.

SP2LNOB (ESCAP's Cambodia and Maldives studies; spec simulator.md §1, §4) fits
the LNOB trees with household consumption per capita among the circumstances,
so that a transfer, by raising consumption, can move people across a split.
ESCAP's LNOB platform uses the bottom-40 % wealth flag instead. Two kinds of
"money" circumstances are re-computed after transfers here:

* ``continuous`` — a circumstance declared ``from: welfare`` (the survey's
  welfare per capita or per adult equivalent): after transfers it takes the
  post-transfer welfare;
* ``b40`` — the built-in ``wealth_b40``: after transfers a person is in the
  bottom 40 % when post-transfer welfare ≤ the *pre-transfer* 40th percentile
  (the cut is held fixed, as the tree is).

:func:`with_consumption` turns an ordinary LNOB spec (wealth B40) into the
SP2LNOB form: every ``wealth_b40`` circumstance is replaced by continuous
consumption per capita, in the spec and in every indicator's list.
Every other circumstance is held fixed (it does not depend on money).
"""

from __future__ import annotations

from dataclasses import dataclass

from sp2lnob.opportunity.spec import CircumstanceSpec, LnobSpec

WELFARE_COLUMN = "welfare"      # the canonical welfare column of ``Survey.frame``
CONSUMPTION_LABEL = "Consumption per capita"


@dataclass(frozen=True)
class MoneyCircumstance:
    """A circumstance that moves with post-transfer welfare: ``kind`` is continuous or b40."""

    name: str
    kind: str


def money_circumstances(spec: LnobSpec) -> tuple[MoneyCircumstance, ...]:
    """The circumstances of ``spec`` re-computed after transfers (module docstring)."""
    out = []
    for c in spec.circumstances:
        if c.builtin == "wealth_b40":
            out.append(MoneyCircumstance(c.name, "b40"))
        elif c.from_ is not None and c.from_.strip() == WELFARE_COLUMN and c.bands is None:
            out.append(MoneyCircumstance(c.name, "continuous"))
    return tuple(out)


def with_consumption(spec: LnobSpec, *, name: str = "consumption", label: str = CONSUMPTION_LABEL) -> LnobSpec:
    """The SP2LNOB form of ``spec``: ``wealth_b40`` circumstances replaced by continuous welfare.

    A spec that already has a continuous ``from: welfare`` circumstance and no
    ``wealth_b40`` is returned unchanged.
    """
    b40 = [c.name for c in spec.circumstances if c.builtin == "wealth_b40"]
    if not b40:
        return spec
    existing = [m.name for m in money_circumstances(spec) if m.kind == "continuous"]
    target = existing[0] if existing else name
    circs: list[CircumstanceSpec] = []
    for c in spec.circumstances:
        if c.builtin == "wealth_b40":
            if not existing and target not in [x.name for x in circs]:
                circs.append(CircumstanceSpec.model_validate(
                    {"name": target, "label": label, "from": WELFARE_COLUMN, "type": "continuous"}))
            continue
        circs.append(c)
    indicators = []
    for ind in spec.indicators:
        if ind.circumstances is None:
            indicators.append(ind)
            continue
        names: list[str] = []
        for n in ind.circumstances:
            n2 = target if n in b40 else n
            if n2 not in names:
                names.append(n2)
        indicators.append(ind.model_copy(update={"circumstances": names}))
    return spec.model_copy(update={"circumstances": circs, "indicators": indicators,
                                   "name": f"{spec.name} (SP2LNOB: consumption per capita)"})
