"""``chainkeeper demo``: fill an empty database with the demo economy, export it, or serve it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chainkeeper.cli.common import console, error_console, open_engine, progress_bar


def demo(
    firms: Annotated[int, typer.Option("--firms", help="Number of enterprises to generate.")] = 3000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (the same seed gives the same economy).")] = 42,
    export: Annotated[Path | None, typer.Option("--export", help="Write CSV/XLSX files to this directory instead.")] = None,
    serve: Annotated[bool, typer.Option("--serve", help="Start the web application afterwards.")] = False,
) -> None:
    """Load the demo: a seeded synthetic economy across real Chinese cities."""
    from chainkeeper.demo.generator import export_economy, generate_economy
    from chainkeeper.demo.service import load_demo, registry_is_empty

    if export is not None:
        paths = export_economy(generate_economy(firms, seed=seed), export)
        for path in paths:
            console.print(f"wrote {path}")
        return
    engine = open_engine()
    if registry_is_empty(engine):
        with progress_bar() as progress:
            task = progress.add_task("demo", total=None)
            summary = load_demo(
                engine, n_firms=firms, seed=seed,
                progress=lambda stage, n: progress.update(task, description=f"demo: {stage}", completed=n),
            )
        console.print("demo loaded: " + ", ".join(f"{n:,} {table}" for table, n in summary.counts.items()))
    else:
        error_console.print("the registry already holds data; the demo was not loaded again")
    if serve:
        from chainkeeper.cli.main import serve as serve_command

        serve_command(host=None, port=None)
