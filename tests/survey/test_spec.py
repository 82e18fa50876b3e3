"""Spec loading: structure, readable errors (file + key path, did-you-mean), categories, YAML round trip."""

from __future__ import annotations

import copy

import pytest
import yaml
from tests.survey._tiny import SPEC, spec_dict, write_spec

from sp2lnob.errors import InputError, SpecError
from sp2lnob.survey import SurveySpec, load_spec, parse_spec


def test_valid_spec_loads(tmp_path):
    spec = load_spec(write_spec(tmp_path, SPEC))
    assert spec.roles.household_id == "hhid"
    assert [ln.name for ln in spec.poverty_lines] == ["national", "by_area", "ppp_3", "half_median", "poorest_20"]
    assert spec.line("by_area").by.values == {0: 600, 1: 900}
    assert spec.programme("cash_transfer").unit == "household"
    assert spec.labels["urban"] == {0: "Rural", 1: "Urban"}


def test_docs_example_spec_is_valid():
    """The YAML block in docs/survey-spec.md is the contract: it must load."""
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "survey-spec.md"
    text = doc.read_text(encoding="utf-8")
    block = text.split("```yaml", 1)[1].split("```", 1)[0]
    spec = parse_spec(yaml.safe_load(block), "survey-spec.md")
    assert spec.welfare.variable == "cons_pc"
    assert {ln.type for ln in spec.poverty_lines} == {"absolute", "ppp", "relative", "quantile"}


def test_unknown_key_has_path_and_did_you_mean(tmp_path):
    bad = copy.deepcopy(SPEC)
    bad["programmes"][1]["unti"] = "household"
    with pytest.raises(SpecError) as exc:
        load_spec(write_spec(tmp_path, bad, "asiatica.yaml"))
    err = exc.value
    assert err.what == "unknown key 'unti'"
    assert err.where == "asiatica.yaml: programmes[1].unti"
    assert "'unit'" in err.hint
    assert "ValidationError" not in str(err) and "pydantic" not in str(err)


def test_unknown_top_level_and_nested_keys(tmp_path):
    bad = spec_dict(welfare={"varible": "x"})
    with pytest.raises(SpecError) as exc:
        load_spec(write_spec(tmp_path, bad))
    assert exc.value.where == "spec.yaml: welfare.varible"
    assert "'variable'" in exc.value.hint
    bad = copy.deepcopy(SPEC)
    bad["rolse"] = bad.pop("roles")
    with pytest.raises(SpecError) as exc:
        load_spec(write_spec(tmp_path, bad))
    # two problems: unknown key rolse and missing roles
    wheres = [d.where for d in exc.value.details]
    assert "spec.yaml: rolse" in wheres and "spec.yaml: roles" in wheres


def test_unknown_key_inside_a_poverty_line(tmp_path):
    bad = copy.deepcopy(SPEC)
    bad["poverty_lines"][2]["vaule"] = bad["poverty_lines"][2].pop("value")
    with pytest.raises(SpecError) as exc:
        load_spec(write_spec(tmp_path, bad))
    by_where = {d.where: d for d in exc.value.details}
    assert "'value'" in by_where["spec.yaml: poverty_lines[2].vaule"].hint
    assert "spec.yaml: poverty_lines[2].value" in by_where


def test_wrong_literal_and_line_type(tmp_path):
    bad = copy.deepcopy(SPEC)
    bad["programmes"][0]["unit"] = "family"
    with pytest.raises(SpecError) as exc:
        load_spec(write_spec(tmp_path, bad))
    assert exc.value.where == "spec.yaml: programmes[0].unit"
    assert "'person'" in exc.value.expected and "'family'" in exc.value.got
    bad = copy.deepcopy(SPEC)
    bad["poverty_lines"][0]["type"] = "absolut"
    with pytest.raises(SpecError) as exc:
        load_spec(write_spec(tmp_path, bad))
    assert exc.value.where == "spec.yaml: poverty_lines[0]"
    assert "'absolute'" in exc.value.hint


def test_bad_number_is_reported_with_its_path(tmp_path):
    bad = spec_dict(ppp={"cpi": "high", "factor": 20})
    with pytest.raises(SpecError) as exc:
        load_spec(write_spec(tmp_path, bad))
    assert exc.value.where == "spec.yaml: ppp.cpi"
    assert exc.value.expected == "a number"
    bad = spec_dict(ppp={"cpi": -1.0, "factor": 20})
    with pytest.raises(SpecError) as exc:
        load_spec(write_spec(tmp_path, bad))
    assert "greater than 0" in exc.value.expected


def test_categories_checked_against_parameter_files(tmp_path):
    bad = copy.deepcopy(SPEC)
    bad["programmes"][0]["aspire"] = "social_pension"
    with pytest.raises(SpecError) as exc:
        load_spec(write_spec(tmp_path, bad))
    assert exc.value.where == "spec.yaml: programmes[0].aspire"
    assert "'social_pensions'" in exc.value.hint
    bad = copy.deepcopy(SPEC)
    bad["programmes"][1]["spi"] = "XX"
    with pytest.raises(SpecError) as exc:
        load_spec(write_spec(tmp_path, bad))
    assert exc.value.where == "spec.yaml: programmes[1].spi"
    assert "AE" in exc.value.expected


def test_equivalence_scale_registry(tmp_path):
    with pytest.raises(SpecError) as exc:
        load_spec(write_spec(tmp_path, spec_dict(welfare={"equivalence_scale": "oced"})))
    assert "'oecd'" in exc.value.hint
    with pytest.raises(SpecError, match="custom needs custom_scale"):
        load_spec(write_spec(tmp_path, spec_dict(welfare={"equivalence_scale": "custom"})))


def test_semantic_rules(tmp_path):
    bad = copy.deepcopy(SPEC)
    bad["programmes"].append({"name": "social_pension", "receipt": "cct_flag"})
    with pytest.raises(SpecError, match="names must be unique"):
        load_spec(write_spec(tmp_path, bad))
    bad = copy.deepcopy(SPEC)
    bad["programmes"][0].pop("amount")
    with pytest.raises(SpecError, match="needs `amount` or `receipt`") as exc:
        load_spec(write_spec(tmp_path, bad))
    assert exc.value.where == "spec.yaml: programmes[0]"
    bad = spec_dict(files={"data": "all.parquet"})
    with pytest.raises(SpecError, match="either `data` or"):
        load_spec(write_spec(tmp_path, bad))


def test_invalid_yaml_and_missing_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("roles:\n  household_id: hhid\n bad indent: [\n", encoding="utf-8")
    with pytest.raises(SpecError) as exc:
        load_spec(path)
    assert exc.value.where.startswith("broken.yaml: line ")
    with pytest.raises(InputError, match="not found"):
        load_spec(tmp_path / "nope.yaml")
    path.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(SpecError, match="must be a mapping"):
        load_spec(path)


def test_to_yaml_round_trip(tmp_path):
    spec = load_spec(write_spec(tmp_path, SPEC))
    again = parse_spec(yaml.safe_load(spec.to_yaml()))
    assert again == spec
    assert isinstance(again, SurveySpec)
    assert again.labels["urban"] == {0: "Rural", 1: "Urban"}


def test_unknown_line_and_programme_names_have_hints(tmp_path):
    spec = load_spec(write_spec(tmp_path, SPEC))
    with pytest.raises(SpecError) as exc:
        spec.line("nationl")
    assert "'national'" in exc.value.hint
    with pytest.raises(SpecError) as exc:
        spec.programme("social_pensoin")
    assert "'social_pension'" in exc.value.hint
