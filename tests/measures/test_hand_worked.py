"""Small examples worked by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import sp2lnob.measures as m

# Example A: x = 1, 2, 3, 4, 10 with weights 1, 2, 1, 1, 3 (W = 8, sum w x = 42).
# Step CDF F: F(1) = 1/8, F(2) = 3/8, F(3) = 4/8, F(4) = 5/8, F(10) = 1.
X = np.array([3.0, 10.0, 1.0, 4.0, 2.0])   # deliberately unsorted
W = np.array([1.0, 3.0, 1.0, 1.0, 2.0])
LINE = 3.5


def test_mean_and_total():
    assert m.total(X, W) == pytest.approx(42.0, rel=1e-15)        # 1 + 4 + 3 + 4 + 30
    assert m.mean(X, W) == pytest.approx(42.0 / 8.0, rel=1e-15)


@pytest.mark.parametrize(
    ("rule", "p", "expected"),
    [
        ("math", 0.5, 3.0),          # min{x: F(x) >= .5}: F(3) = .5
        ("school", 0.5, 3.5),        # F(3) = .5 exactly -> (3 + 4) / 2
        ("laeken", 0.5, 4.0),        # min{x: F(x) > .5}
        ("interpolated", 0.5, 3.5),  # midpoints 7/16 (3) and 9/16 (4): 3 + (1/16)/(2/16)
        ("math", 0.1, 1.0),          # F(1) = .125 >= .1
        ("school", 0.1, 1.0),
        ("laeken", 0.1, 1.0),
        ("interpolated", 0.1, 1.2),  # midpoints 1/16 (1), 4/16 (2): 1 + (.1 - .0625)/.1875
        ("math", 0.375, 2.0),        # F(2) = 3/8 exactly
        ("school", 0.375, 2.5),      # (2 + 3) / 2
        ("laeken", 0.375, 3.0),
        ("math", 0.0, 1.0),
        ("laeken", 1.0, 10.0),
        ("interpolated", 0.95, 10.0),  # beyond the last midpoint 13/16: constant
    ],
)
def test_quantile_rules(rule, p, expected):
    assert m.quantile(X, W, p, rule=rule) == pytest.approx(expected, rel=1e-15)


def test_quantile_array_p_returns_array():
    q = m.quantile(X, W, [0.1, 0.5], rule="math")
    assert isinstance(q, np.ndarray) and q.tolist() == [1.0, 3.0]
    assert isinstance(m.quantile(X, W, 0.5), float)
    assert m.median(X, W, rule="school") == 3.5


def test_ntile_and_shares():
    # Cut-offs (school): Q(.2) = 2, Q(.4) = 3, Q(.6) = 4, Q(.8) = 10 (no exact hits).
    # Group = 1 + #cut-offs below x: 1 -> 1, 2 -> 1, 3 -> 2, 4 -> 3, 10 -> 4.
    assert m.ntile(X, W, 5).tolist() == [2, 4, 1, 3, 1]
    # Shares: g1 = (1 + 2*2)/42, g2 = 3/42, g3 = 4/42, g4 = 30/42, g5 = 0.
    np.testing.assert_allclose(m.shares(X, W, 5), np.array([5, 3, 4, 30, 0]) / 42, rtol=1e-15)


def test_gini():
    # Midpoint ranks (C_{i-1} + C_i): 1, 4, 7, 9, 13.
    # sum w x (C_{i-1}+C_i) = 1*1*1 + 2*2*4 + 1*3*7 + 1*4*9 + 3*10*13 = 464
    # G = 464 / (W * 42) - 1 = 464/336 - 1 = 8/21
    assert m.gini(X, W) == pytest.approx(8 / 21, rel=1e-14)


def test_gini_unit_weights_textbook():
    # x = 1..4: G = 2 sum i x_i / (n sum x) - (n+1)/n = 2*30/(4*10) - 5/4 = 0.25
    assert m.gini([4, 1, 3, 2]) == pytest.approx(0.25, rel=1e-15)
    assert m.gini([5, 5, 5]) == pytest.approx(0.0, abs=1e-15)


def test_fgt_family():
    # Poor (y < 3.5): 1 (w 1, gap 2.5/3.5), 2 (w 2, gap 1.5/3.5), 3 (w 1, gap 0.5/3.5).
    assert m.fgt(X, W, line=LINE, alpha=0) == pytest.approx(4 / 8, rel=1e-15)
    assert m.fgt(X, W, line=LINE, alpha=1) == pytest.approx((2.5 + 2 * 1.5 + 0.5) / 3.5 / 8, rel=1e-15)
    assert m.fgt(X, W, line=LINE, alpha=2) == pytest.approx(
        (2.5**2 + 2 * 1.5**2 + 0.5**2) / 3.5**2 / 8, rel=1e-14)
    assert m.fgt(X, W, line=LINE, alpha=0.5) == pytest.approx(
        (math.sqrt(2.5 / 3.5) + 2 * math.sqrt(1.5 / 3.5) + math.sqrt(0.5 / 3.5)) / 8, rel=1e-14)
    # Strict '<': with z = 3 the row at 3 is not poor -> (1 + 2) / 8.
    assert m.headcount(X, W, line=3.0) == pytest.approx(3 / 8, rel=1e-15)
    assert m.poverty_gap_index(X, W, LINE) == m.fgt(X, W, LINE, 1)
    assert m.poverty_severity(X, W, LINE) == m.fgt(X, W, LINE, 2)


def test_fgt_per_row_line():
    # Lines 2, 12, 2, 5, 2 (in the row order of X = 3, 10, 1, 4, 2): poor are
    # 10 (< 12, gap 2/12, w 3), 1 (< 2, gap 1/2, w 1), 4 (< 5, gap 1/5, w 1); 2 is not (< is strict).
    lines = np.array([2.0, 12.0, 2.0, 5.0, 2.0])
    assert m.fgt(X, W, line=lines, alpha=1) == pytest.approx((3 * 2 / 12 + 1 / 2 + 1 / 5) / 8, rel=1e-15)
    assert m.headcount(X, W, line=lines) == pytest.approx(5 / 8, rel=1e-15)


def test_watts_sen_money_gap():
    assert m.watts(X, W, LINE) == pytest.approx(
        (math.log(3.5) + 2 * math.log(3.5 / 2) + math.log(3.5 / 3)) / 8, rel=1e-14)
    # H = 1/2; poor mean = (1 + 4 + 3)/4 = 2, I = (3.5 - 2)/3.5 = 3/7;
    # Gini among poor {1 (w1), 2 (w2), 3 (w1)}: (1*1*1 + 2*2*4 + 1*3*7)/(4*8) - 1 = 3/16;
    # S = 1/2 (3/7 + 4/7 * 3/16) = 15/56.
    assert m.sen(X, W, LINE) == pytest.approx(15 / 56, rel=1e-14)
    assert m.sen(X, W, 0.5) == 0.0   # nobody poor
    # Two of three rows poor, both at zero: I = 1, so S = H = 2/3 whatever G_p.
    assert m.sen([0.0, 0.0, 9.0], None, 2.0) == pytest.approx(2 / 3, rel=1e-15)
    # Money gap: 2.5 + 2 * 1.5 + 0.5 = 6.
    assert m.poverty_gap_money(X, W, LINE) == pytest.approx(6.0, rel=1e-15)


def test_entropy_and_atkinson():
    mu = 42 / 8
    ys, ws = [1, 2, 3, 4, 10], [1, 2, 1, 1, 3]
    theil_t = sum(w * (y / mu) * math.log(y / mu) for y, w in zip(ys, ws, strict=True)) / 8
    mld = -sum(w * math.log(y / mu) for y, w in zip(ys, ws, strict=True)) / 8
    ge2 = (sum(w * (y / mu) ** 2 for y, w in zip(ys, ws, strict=True)) / 8 - 1) / 2
    assert m.theil(X, W) == pytest.approx(theil_t, rel=1e-13)
    assert m.mld(X, W) == pytest.approx(mld, rel=1e-13)
    assert m.ge2(X, W) == pytest.approx(ge2, rel=1e-13)
    assert m.generalized_entropy(X, W, 2) == m.ge2(X, W)
    # GE(-1) = (sum w (y/mu)^-1 / W - 1) / 2
    assert m.generalized_entropy(X, W, -1) == pytest.approx(
        (sum(w * mu / y for y, w in zip(ys, ws, strict=True)) / 8 - 1) / 2, rel=1e-13)
    geo = math.exp((2 * math.log(2) + math.log(3) + math.log(4) + 3 * math.log(10)) / 8)
    assert m.atkinson(X, W, 1) == pytest.approx(1 - geo / mu, rel=1e-13)
    harmonic = 8 / (1 + 2 / 2 + 1 / 3 + 1 / 4 + 3 / 10)
    assert m.atkinson(X, W, 2) == pytest.approx(1 - harmonic / mu, rel=1e-13)
    root = (sum(w * math.sqrt(y) for y, w in zip(ys, ws, strict=True)) / 8) ** 2
    assert m.atkinson(X, W, 0.5) == pytest.approx(1 - root / mu, rel=1e-13)
    assert m.atkinson(X, W, 0) == pytest.approx(0.0, abs=1e-15)


def test_zero_welfare_allowed_where_defined():
    # Theil T with a zero: 0 ln 0 = 0. x = 0, 2 (mu = 1): T = (2 ln 2)/2 = ln 2.
    assert m.theil([0.0, 2.0]) == pytest.approx(math.log(2), rel=1e-15)
    # Atkinson(0.5) with a zero: 1 - ((0 + sqrt 2)/2)^2 / 1 = 1/2.
    assert m.atkinson([0.0, 2.0], epsilon=0.5) == pytest.approx(0.5, rel=1e-15)


def test_eu_indicators():
    # laeken median: first row with cumulative share > .5 -> 4; threshold 2.4.
    assert m.arpt(X, W) == pytest.approx(2.4, rel=1e-15)
    assert m.arpr(X, W) == pytest.approx(3 / 8, rel=1e-15)      # rows 1 and 2 (w 1 + 2)
    # Median of the poor {1 (w1), 2 (w2)} (laeken): cumulative shares 1/3, 1 -> 2.
    assert m.rmpg(X, W) == pytest.approx((2.4 - 2) / 2.4, rel=1e-14)
    # Threshold at 60 % of the mean: 0.6 * 5.25 = 3.15 -> rows 1, 2, 3 (w 4).
    assert m.arpr(X, W, of="mean") == pytest.approx(4 / 8, rel=1e-15)


def test_shares_palma_s80_s20_on_one_to_ten():
    x = np.arange(1.0, 11.0)   # unit weights, total 55
    np.testing.assert_allclose(m.shares(x, n=10), x / 55, rtol=1e-15)
    # school: Q(.4) = (4 + 5)/2, Q(.9) = (9 + 10)/2 -> bottom 1..4 = 10, top 10 = 10.
    assert m.palma(x) == pytest.approx(1.0, rel=1e-15)
    assert m.top_share(x, p=0.1) == pytest.approx(10 / 55, rel=1e-15)
    assert m.bottom_share(x, p=0.4) == pytest.approx(10 / 55, rel=1e-15)
    # laeken rule: Q(.2) = x_3 = 3 (first i/10 > .2), Q(.8) = x_9 = 9:
    # S80/S20 = 10 / (1 + 2 + 3).
    assert m.s80_s20(x) == pytest.approx(10 / 6, rel=1e-15)
