"""Every catalogued bad input meets its structured error or its reported handling (docs/bad-inputs.md)."""

from __future__ import annotations

import pytest

from sp2lnob.errors import Sp2lnobError

from .bad_inputs import CASES, BadInput


def test_the_catalogue_is_large_and_ids_are_unique():
    ids = [c.id for c in CASES]
    assert len(ids) >= 30
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_meets_its_message(case: BadInput, tmp_path):
    if case.error is not None:
        with pytest.raises(Sp2lnobError) as caught:
            case.run(tmp_path)
        err = caught.value
        assert type(err) is case.error, f"{type(err).__name__}: {err}"
        assert err.what == case.what, str(err)
        if case.hint is not None:
            assert err.hint == case.hint, str(err)
        # the rendered message (what the CLI prints) carries the same text
        assert str(err).startswith(case.what)
        assert err.to_dict()["what"] == case.what
    else:
        warnings = list(case.run(tmp_path))
        matching = [w for w in warnings if w.what == case.what]
        assert matching, [w.what for w in warnings]
        if case.count is not None:
            assert matching[0].count == case.count
