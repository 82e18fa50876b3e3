"""Pictures of LNOB results: the tree, the D-index across indicators, a summary chart.

matplotlib (extra ``plot``) and plotly (extra ``app``) are imported inside the
functions only. Tree picture (lnob.md §2): every node shows its access rate
and population share; branch width is proportional to the child's share; the
furthest-behind leaf is red and the furthest-ahead leaf blue.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from sp2lnob.errors import InputError
from sp2lnob.opportunity.results import LnobResult

BEHIND = "#c0392b"
AHEAD = "#1f6fb2"
NEUTRAL = "#f2f2f2"
INNER = "#ffffff"


def tree_layout(result: LnobResult) -> dict[int, tuple[float, float]]:
    """(x, y) of each node: leaves evenly spaced left to right, parents centred, y = −depth."""
    nodes = result.tree.nodes_
    pos: dict[int, tuple[float, float]] = {}
    leaf_x = 0.0
    for node in nodes:  # preorder, left first: leaves come out left to right
        if node.is_leaf:
            pos[node.node_id] = (leaf_x, -float(node.depth))
            leaf_x += 1.0
    for node in sorted(nodes, key=lambda n: -n.depth):
        if not node.is_leaf:
            xl, _ = pos[node.left]
            xr, _ = pos[node.right]
            pos[node.node_id] = ((xl + xr) / 2, -float(node.depth))
    return pos


def _colour(result: LnobResult, node_id: int, is_leaf: bool) -> str:
    if node_id == result.furthest_behind.node_id:
        return BEHIND
    if node_id == result.furthest_ahead.node_id:
        return AHEAD
    return NEUTRAL if is_leaf else INNER


def tree_figure(result: LnobResult, *, width: float | None = None, height: float | None = None):
    """A matplotlib Figure of the tree (save with :func:`save_figure`)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    pos = tree_layout(result)
    nodes = result.tree.nodes_
    n_leaves = sum(n.is_leaf for n in nodes)
    depth = max(n.depth for n in nodes)
    fig, ax = plt.subplots(figsize=(width or max(6.0, 2.3 * n_leaves), height or 1.8 + 1.9 * depth))
    labels = result_branch_labels(result)
    for node in nodes:
        if node.parent is None:
            continue
        x0, y0 = pos[node.parent]
        x1, y1 = pos[node.node_id]
        ax.plot([x0, x1], [y0, y1], color="#7f8c8d", linewidth=1 + 24 * node.share, solid_capstyle="round",
                zorder=1, alpha=0.7)
        ax.text((x0 + x1) / 2, (y0 + y1) / 2, _wrap(labels.get(node.node_id, ""), 22), fontsize=7,
                ha="center", va="center", zorder=3,
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))
    for node in nodes:
        x, y = pos[node.node_id]
        colour = _colour(result, node.node_id, node.is_leaf)
        text_colour = "white" if colour in (BEHIND, AHEAD) else "black"
        ax.text(x, y, f"{100 * node.rate:.1f} %\n{100 * node.share:.1f} % of pop.\nn = {node.n:,}",
                ha="center", va="center", fontsize=8, color=text_colour, zorder=4,
                bbox=dict(boxstyle="round,pad=0.4", fc=colour, ec="#34495e", lw=0.8))
    ax.set_xlim(-0.7, n_leaves - 0.3)
    ax.set_ylim(-depth - 0.6, 0.6)
    ax.axis("off")
    ctx = ", ".join(v for v in result.context.values() if v)
    ax.set_title(f"{result.label}{' — ' + ctx if ctx else ''}\nD-index ({result.group_method}) "
                 f"{result.d_index:.3f}; red: furthest behind, blue: furthest ahead", fontsize=10)
    fig.tight_layout()
    return fig


def result_branch_labels(result: LnobResult) -> dict[int, str]:
    """Branch conditions in words, written with the circumstances' labels."""
    from sp2lnob.opportunity.describe import branch_texts

    return branch_texts(result.tree, result.feature_texts)


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) if text else ""


def d_index_chart(table: pl.DataFrame):
    """Horizontal bars of the D-index by indicator (one bar per row of a run's table)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    _need(table, ["label", "d_index"])
    t = table.sort("d_index")
    names = _row_names(t)
    fig, ax = plt.subplots(figsize=(7, 0.8 + 0.35 * t.height))
    ax.barh(names, t["d_index"].to_list(), color=AHEAD)
    for i, v in enumerate(t["d_index"].to_list()):
        ax.text(v, i, f" {v:.3f}", va="center", fontsize=8)
    method = ", ".join(sorted(set(t["group_method"].to_list()))) if "group_method" in t.columns else ""
    ax.set_xlabel(f"D-index ({method}); 0 = equal access across groups")
    ax.set_xlim(0, max(0.05, float(t["d_index"].to_numpy().max()) * 1.2))
    fig.tight_layout()
    return fig


def summary_chart(table: pl.DataFrame):
    """For each indicator: average access, furthest-ahead and furthest-behind rates (dots on a line)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    _need(table, ["label", "mean_rate", "furthest_behind_rate", "furthest_ahead_rate"])
    t = table.sort("mean_rate")
    names = _row_names(t)
    fig, ax = plt.subplots(figsize=(7.5, 0.8 + 0.4 * t.height))
    ys = list(range(t.height))
    lo = [100 * v for v in t["furthest_behind_rate"].to_list()]
    hi = [100 * v for v in t["furthest_ahead_rate"].to_list()]
    ax.hlines(ys, lo, hi, color="#bdc3c7", linewidth=3)
    ax.scatter(lo, ys, color=BEHIND, label="furthest behind", zorder=3)
    ax.scatter([100 * v for v in t["mean_rate"].to_list()], ys, color="black", marker="|", s=200,
               label="average", zorder=3)
    ax.scatter(hi, ys, color=AHEAD, label="furthest ahead", zorder=3)
    ax.set_yticks(ys, names)
    ax.set_xlabel("access rate (%)")
    ax.set_xlim(0, 100)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


def _row_names(t: pl.DataFrame) -> list[str]:
    """Indicator labels, with the country only when several countries are shown, and the region."""
    several = "country" in t.columns and t["country"].n_unique() > 1
    names = []
    for row in t.iter_rows(named=True):
        parts = [str(row["label"])]
        if several and row.get("country"):
            parts.append(str(row["country"]))
        if row.get("region"):
            parts.append(str(row["region"]))
        names.append(" — ".join(parts))
    return names


def _need(table: pl.DataFrame, columns: list[str]) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing or table.height == 0:
        raise InputError("the table is not an LNOB run table", expected=columns, got=table.columns,
                         hint="pass LnobRun.to_frame()")


def save_figure(fig, path: str | Path) -> Path:
    """Save as PNG or SVG (by suffix) and close the figure."""
    import matplotlib.pyplot as plt

    p = Path(path)
    if p.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise InputError("unknown picture format", where=str(p), expected=".png, .svg or .pdf", got=p.suffix)
    fig.savefig(p, dpi=150)
    plt.close(fig)
    return p


def tree_plotly(result: LnobResult):
    """An interactive plotly Figure of the tree (hover: the path of conditions, n, rate, share)."""
    try:
        import plotly.graph_objects as go
    except ImportError:  # pragma: no cover - depends on the environment
        raise InputError("interactive trees need plotly", hint="pip install 'sp2lnob[app]'") from None
    pos = tree_layout(result)
    nodes = result.tree.nodes_
    paths = dict(zip(result.nodes["node"].to_list(), result.nodes["path"].to_list(), strict=True))
    fig = go.Figure()
    for node in nodes:
        if node.parent is None:
            continue
        (x0, y0), (x1, y1) = pos[node.parent], pos[node.node_id]
        fig.add_trace(go.Scatter(x=[x0, x1], y=[y0, y1], mode="lines", hoverinfo="skip", showlegend=False,
                                 line=dict(width=1 + 24 * node.share, color="#95a5a6")))
    fig.add_trace(go.Scatter(
        x=[pos[n.node_id][0] for n in nodes], y=[pos[n.node_id][1] for n in nodes], mode="markers+text",
        marker=dict(size=28, color=[_colour(result, n.node_id, n.is_leaf) for n in nodes],
                    line=dict(color="#34495e", width=1)),
        text=[f"{100 * n.rate:.0f}%" for n in nodes], textposition="middle center", showlegend=False,
        hovertext=[f"{paths[n.node_id]}<br>rate {100 * n.rate:.1f} %, share {100 * n.share:.1f} %, n {n.n:,}"
                   for n in nodes], hoverinfo="text"))
    fig.update_layout(title=f"{result.label}: D-index ({result.group_method}) {result.d_index:.3f}",
                      xaxis=dict(visible=False), yaxis=dict(visible=False), plot_bgcolor="white")
    return fig
