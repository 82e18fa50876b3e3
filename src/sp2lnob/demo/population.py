"""Household composition: relation to the head, age and sex of every member.

Rows are built with ``np.repeat`` over household sizes. Member 1 is the head;
member 2 is the spouse with a probability depending on the head's sex and age;
other members are children, parents, other relatives (mostly grandchildren in
households with an older head) or non-relatives. Ages follow the relation:
a spouse is a few years younger or older than the head, a child's age lies
between the mother's age minus 45 and her age minus 17, a parent is 20-35
years older than the head.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sp2lnob.demo._draw import Members, bernoulli
from sp2lnob.demo.sample import Sample

HEAD, SPOUSE, CHILD, PARENT, OTHER_RELATIVE, NON_RELATIVE = 1, 2, 3, 4, 5, 6


@dataclass(frozen=True)
class People:
    members: Members
    pid: np.ndarray
    relation: np.ndarray
    age: np.ndarray
    sex: np.ndarray  # 1 male, 2 female
    head_age: np.ndarray   # per household
    head_female: np.ndarray  # per household, 0/1


def draw_people(sample: Sample, params: dict[str, Any], rng: np.random.Generator) -> People:
    hp = params["household"]
    region_names = [r["name"] for r in params["regions"]]
    n = sample.hhsize.shape[0]
    members = Members.from_sizes(sample.hhsize)
    pos = members.position
    n_persons = pos.shape[0]

    # head: age and sex (per household)
    ha = hp["head_age"]
    head_age = np.clip(
        np.floor(ha["offset"] + rng.gamma(ha["gamma_shape"], ha["gamma_scale"], n)), ha["min"], ha["max"]
    ).astype(np.int64)
    male_share = np.array(
        [hp["head_male_share"].get(name, hp["head_male_share"]["default"]) for name in region_names]
    )[sample.region]
    head_female = 1 - bernoulli(male_share, n, rng)

    # spouse (member 2) with a probability by head sex and age
    sp = hp["spouse_probability"]
    p_spouse = np.where(
        head_female == 1,
        sp["female_head"],
        np.where(head_age < 65, sp["male_head_under_65"], sp["male_head_65_plus"]),
    )
    has_spouse = (bernoulli(p_spouse, n, rng) == 1) & (sample.hhsize >= 2)

    # relation of the other members, by the head's age
    shares = hp["relation_shares"]
    keys = ("child", "parent", "other_relative", "non_relative")
    young = np.cumsum([shares["young_head"][k] for k in keys])
    old = np.cumsum([shares["old_head"][k] for k in keys])
    head_age_p = members.to_persons(head_age)
    u = rng.random(n_persons)
    other_relation = CHILD + np.where(
        head_age_p < 55,
        np.searchsorted(young[:-1] / young[-1], u, side="right"),
        np.searchsorted(old[:-1] / old[-1], u, side="right"),
    )
    relation = np.where(
        pos == 0, HEAD, np.where((pos == 1) & members.to_persons(has_spouse), SPOUSE, other_relation)
    ).astype(np.int64)

    # ages
    gap = hp["spouse_age_gap"]
    spouse_gap = np.rint(rng.normal(gap["mean"], gap["sd"], n_persons)).astype(np.int64)
    head_female_p = members.to_persons(head_female)
    # husband older than wife: a male head's wife is younger, a female head's husband older
    spouse_age = np.clip(np.where(head_female_p == 1, head_age_p + spouse_gap, head_age_p - spouse_gap), 16, 95)
    ca = hp["child_age"]
    mother_age = np.where(head_female_p == 1, head_age_p, head_age_p - gap["mean"])
    span = np.clip(mother_age - ca["min_parent_age"], 1, ca["max_span"])
    # no births after the mother's max_parent_age: the youngest child is at least that old
    youngest = np.clip(mother_age - ca["max_parent_age"], 0, span - 1)
    child_age = (youngest + np.floor((span - youngest) * rng.random(n_persons) ** ca["skew"])).astype(np.int64)
    pa = hp["parent_age_gap"]
    parent_age = np.minimum(head_age_p + pa["min"] + np.floor(pa["span"] * rng.random(n_persons)), 99)
    oa = hp["other_relative_age"]
    # other relatives of an older head are mostly grandchildren; of a younger head, nephews, siblings...
    p_child = np.where(head_age_p >= 55, oa["child_share_old_head"], oa["child_share_young_head"])
    grandchild = rng.random(n_persons) < p_child
    other_age = np.where(
        grandchild,
        np.floor(oa["child_span"] * rng.random(n_persons)),
        oa["adult_min"] + np.floor(oa["adult_span"] * rng.random(n_persons)),
    )
    nr = hp["non_relative_age"]
    non_rel_age = nr["min"] + np.floor(nr["span"] * rng.random(n_persons))
    age = np.select(
        [relation == HEAD, relation == SPOUSE, relation == CHILD, relation == PARENT, relation == OTHER_RELATIVE],
        [head_age_p, spouse_age, child_age, parent_age, other_age],
        default=non_rel_age,
    ).astype(np.int64)

    # sex
    ms = hp["male_share"]
    p_male = np.select(
        [relation == CHILD, relation == PARENT], [ms["child"], ms["parent"]], default=ms["other"]
    )
    other_sex = 2 - bernoulli(p_male, n_persons, rng)
    sex = np.select(
        [relation == HEAD, relation == SPOUSE],
        [1 + head_female_p, 2 - head_female_p],
        default=other_sex,
    ).astype(np.int64)
    return People(
        members=members,
        pid=pos + 1,
        relation=relation,
        age=age,
        sex=sex,
        head_age=head_age,
        head_female=head_female.astype(np.int64),
    )
