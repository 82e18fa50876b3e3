"""The public showcase: the scenarios a publisher chose, saved to and loaded from one YAML file.

Format (``showcase_version: 1``)::

    showcase_version: 1
    title: Child benefit options, Asiatica 2024
    scenarios:
      - name: ucb_4pct            # used in the URL: ?page=simulator&scenario=ucb_4pct
        label: Universal child benefit, 4 % of GDP per capita
        scheme: {...}             # a full scheme (as saved by the Simulator page) or a ready scheme name
        seed: 20240601

Each scheme is validated by :func:`sp2lnob.simulate.parse_scheme`; nothing in the
file is evaluated as code (YAML is read with ``safe_load``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sp2lnob.errors import SpecError

DEFAULT_SEED = 20240601


@dataclass(frozen=True)
class Scenario:
    name: str
    label: str
    scheme: Any  # sp2lnob.simulate.Scheme
    seed: int = DEFAULT_SEED


@dataclass(frozen=True)
class Showcase:
    title: str
    scenarios: tuple[Scenario, ...]

    def names(self) -> dict[str, str]:
        return {s.name: s.label for s in self.scenarios}

    def get(self, name: str | None) -> Scenario:
        for s in self.scenarios:
            if s.name == name:
                return s
        return self.scenarios[0]

    def to_yaml(self) -> str:
        import yaml

        payload = {"showcase_version": 1, "title": self.title, "scenarios": [
            {"name": s.name, "label": s.label, "scheme": s.scheme.model_dump(mode="json", exclude_none=True),
             "seed": s.seed} for s in self.scenarios]}
        return yaml.safe_dump(payload, sort_keys=False, allow_unicode=True)


def default_showcase() -> Showcase:
    """Every ready scheme at its default values (when no showcase file is given)."""
    from sp2lnob.simulate import load_scheme, ready_scheme_names

    scenarios = tuple(Scenario(name, load_scheme(name).title, load_scheme(name)) for name in ready_scheme_names())
    return Showcase("Ready schemes", scenarios)


def parse_showcase(data: Any, where: str = "showcase") -> Showcase:
    from sp2lnob.simulate import load_scheme, parse_scheme

    if not isinstance(data, dict) or not isinstance(data.get("scenarios"), list) or not data["scenarios"]:
        raise SpecError("a showcase needs a non-empty list of scenarios", where=where,
                        expected="showcase_version: 1, title, scenarios: [{name, label, scheme, seed}]",
                        got=type(data).__name__ if not isinstance(data, dict) else ", ".join(map(str, data)))
    scenarios = []
    for k, item in enumerate(data["scenarios"]):  # a handful of scenarios
        at = f"{where}: scenarios[{k}]"
        if not isinstance(item, dict) or "name" not in item or "scheme" not in item:
            raise SpecError("each scenario needs a name and a scheme", where=at, got=str(item)[:80])
        unknown = set(item) - {"name", "label", "scheme", "seed"}
        if unknown:
            raise SpecError(f"unknown key(s) {', '.join(sorted(unknown))}", where=at,
                            expected="name, label, scheme, seed")
        raw = item["scheme"]
        scheme = load_scheme(raw) if isinstance(raw, str) else parse_scheme(raw, source=f"{at}.scheme")
        seed = item.get("seed", (scheme.coverage.seed if scheme.coverage.seed is not None else DEFAULT_SEED))
        scenarios.append(Scenario(str(item["name"]), str(item.get("label") or scheme.title), scheme, int(seed)))
    return Showcase(str(data.get("title") or "Scenarios"), tuple(scenarios))


def load_showcase(path: str | Path | None) -> Showcase:
    """Read a showcase file; ``None`` gives :func:`default_showcase`."""
    import yaml

    if path is None:
        return default_showcase()
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SpecError("cannot read the showcase file", where=str(path), got=str(exc)) from None
    except yaml.YAMLError as exc:
        raise SpecError("the showcase file is not valid YAML", where=str(path), got=str(exc)[:200]) from None
    return parse_showcase(data, where=path.name)
