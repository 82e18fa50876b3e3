"""Regenerate the shipped demo files after a change to the generator or its parameters.

    python -m sp2lnob.demo.update_shipped          # show what would change
    python -m sp2lnob.demo.update_shipped --write  # then write the new Parquet files

It prints the headline figures of the shipped copy beside the regenerated one
first (the figures the codebook quotes and the tests check), so a change is
seen before it is written. Update the codebook's figures if they moved.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
import polars as pl

from sp2lnob.demo.files import _demo_dir, load_demo_frames, write_frames
from sp2lnob.demo.generate import DEFAULT_HOUSEHOLDS, DEFAULT_SEED, generate_asiatica
from sp2lnob.parameters import load as load_parameters


def headline(households: pl.DataFrame, persons: pl.DataFrame) -> dict[str, float]:
    """Person-weighted mean, Gini and poverty headcount of cons_pc; shares by age; CCT coverage.

    Gini = 1 - sum_i (w_i / W)(L_i + L_{i-1}) over the Lorenz curve at sorted cons_pc.
    """
    line = load_parameters("demo_asiatica.yaml")["country"]["poverty_line"]
    x = households["cons_pc"].to_numpy()
    w = (households["hhweight"] * households["hhsize"]).to_numpy()
    order = np.argsort(x, kind="stable")
    lorenz = np.cumsum((x * w)[order]) / np.sum(x * w)
    gini = 1.0 - np.sum(w[order] / w.sum() * (lorenz + np.concatenate(([0.0], lorenz[:-1]))))
    pw = persons.join(households.select("hhid", "hhweight"), on="hhid")["hhweight"].to_numpy()
    age = persons["age"].to_numpy()
    hw = households["hhweight"].to_numpy()
    return {
        "households": float(households.height),
        "persons": float(persons.height),
        "mean cons_pc": float(np.average(x, weights=w)),
        "gini": float(gini),
        "poverty headcount": float(np.average(x < line, weights=w)),
        "share aged 0-14": float(np.average(age <= 14, weights=pw)),
        "share aged 60+": float(np.average(age >= 60, weights=pw)),
        "CCT household coverage": float(np.average(households["cct_amount"].to_numpy() > 0, weights=hw)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the regenerated files")
    args = parser.parse_args(argv)
    old = headline(*load_demo_frames())
    households, persons = generate_asiatica(DEFAULT_HOUSEHOLDS, DEFAULT_SEED)
    new = headline(households, persons)
    print(f"{'figure':<26}{'shipped':>14}{'regenerated':>14}")
    for key in new:
        print(f"{key:<26}{old[key]:>14.4f}{new[key]:>14.4f}")
    unchanged = households.equals(load_demo_frames()[0]) and persons.equals(load_demo_frames()[1])
    print("frames identical to the shipped copy" if unchanged else "frames differ from the shipped copy")
    if args.write:
        for path in write_frames(households, persons, _demo_dir(), n_households=DEFAULT_HOUSEHOLDS, seed=DEFAULT_SEED):
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
