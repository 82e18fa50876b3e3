"""MkDocs hook: fill the generated pages from the code, so they cannot drift from it.

``<!-- generated: cli -->`` in a page becomes the help of every ``sp2lnob``
command (from the Typer app); ``<!-- generated: measures -->`` and
``<!-- generated: indicators -->`` become tables of every measure in
``sp2lnob.measures.MEASURES`` and every indicator of
``parameters/indicator_definitions.yaml`` with formula and source.
Also runnable alone: ``python docs/gen_cli.py`` prints the CLI reference.
"""

from __future__ import annotations

from typing import Any


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def cli_reference() -> str:
    import typer

    from sp2lnob.cli import app

    root = typer.main.get_command(app)
    out: list[str] = []

    # Typer vendors its own click: duck-type commands and parameters instead of importing click.
    def walk(cmd: Any, path: list[str]) -> None:
        ctx = cmd.context_class(cmd, info_name=" ".join(path))
        out.append(f"{'#' * min(len(path) + 1, 4)} `{' '.join(path)}`\n")
        out.append(f"{(cmd.help or '').strip()}\n")
        out.append("```text\n" + cmd.get_usage(ctx) + "\n```\n")
        rows = []
        for p in cmd.params:
            if p.param_type_name == "option":
                rows.append(f"| `{', '.join(p.opts)}` | {_cell(p.help or '')} |")
            elif p.param_type_name == "argument":
                rows.append(f"| `{p.name.upper()}` | {_cell(getattr(p, 'help', '') or 'argument')} |")
        if rows:
            out.append("| option | meaning |\n|---|---|\n" + "\n".join(rows) + "\n")
        if hasattr(cmd, "commands"):
            for name in sorted(cmd.commands):
                walk(cmd.commands[name], path + [name])

    walk(root, ["sp2lnob"])
    return "\n".join(out)


def measures_reference() -> str:
    from sp2lnob.measures import MEASURES

    rows = [f"| `{m.name}` | {_cell(m.label)} | {_cell(m.unit)} | `{_cell(m.formula)}` | {_cell(m.source)} |"
            for m in MEASURES.values()]
    return "| name | measure | unit | formula | source |\n|---|---|---|---|---|\n" + "\n".join(rows) + "\n"


def indicators_reference() -> str:
    from sp2lnob.parameters import load

    spec = load("indicator_definitions.yaml")
    rows = [f"| `{name}` | {_cell(d.get('label', ''))} | {_cell(d.get('unit', ''))} | `{_cell(d.get('formula', ''))}` "
            f"| {_cell(d.get('source', ''))} |" for name, d in spec["indicators"].items()]
    return (f"Notation: {_cell(spec.get('notation', ''))}\n\n| name | indicator | unit | formula | source |\n"
            "|---|---|---|---|---|\n" + "\n".join(rows) + "\n")


GENERATORS = {"cli": cli_reference, "measures": measures_reference, "indicators": indicators_reference}


def on_page_markdown(markdown: str, **_: object) -> str:
    for key, make in GENERATORS.items():
        marker = f"<!-- generated: {key} -->"
        if marker in markdown:
            markdown = markdown.replace(marker, make())
    return markdown


if __name__ == "__main__":
    print(cli_reference())
