"""Charts of SP2LNOB results (matplotlib, imported lazily: the computations never need it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sp2lnob.impact.sweep import ImpactSweep


def sweep_chart(sweep: ImpactSweep, *, indicators: list[str] | None = None, path: str | Path | None = None,
                x_label: str | None = None) -> Any:
    """Access of each indicator's furthest-behind group (pre-identified) against the swept parameter.

    Solid lines: the furthest-behind group; dotted: the national average. Returns the figure
    (and saves it when ``path`` is given).
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    t = sweep.table
    names = indicators or t["indicator"].unique(maintain_order=True).to_list()
    fig, ax = plt.subplots(figsize=(8, 5))
    for name in names:
        d = t.filter(t["indicator"] == name).sort("value")
        label = d["label"][0] if "label" in d.columns else name
        line, = ax.plot(d["value"].to_list(), [100 * v for v in d["furthest_behind_post"].to_list()],
                        marker="o", label=f"{label}: furthest behind")
        ax.plot(d["value"].to_list(), [100 * v for v in d["national_post"].to_list()], linestyle=":",
                color=line.get_color(), label=f"{label}: national")
    ax.set_xlabel(x_label or sweep.parameter)
    ax.set_ylabel("access (%)")
    ax.set_title(f"Access as the scheme grows ({sweep.mode} mode)")
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=120)
    return fig
