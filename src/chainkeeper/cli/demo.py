"""``chainkeeper demo``: fill an empty database with the demo economy, export it, or serve it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chainkeeper.cli.common import console, error_console, open_engine, progress_bar


def _tell_story(engine) -> None:
    """Print the engine's part of the story: who starves when Shanghai stops, and whose restart matters most."""
    from rich.table import Table

    from chainkeeper.demo.story import shanghai_lockdown

    story = shanghai_lockdown(engine, top=10)
    if story.starved_oems:
        days = [oem.first_below_90 for oem in story.starved_oems]
        console.print(f"Shanghai stops for 30 days (−90%): {len(days)} OEMs elsewhere fall below 90% "
                      f"between day {min(days)} and day {max(days)}.")
        table = Table("OEM", "city", "below 90% on day", "below 50% on day", "lowest level")
        for oem in story.starved_oems[:10]:
            table.add_row(oem.name, str(oem.city), str(oem.first_below_90), str(oem.first_below_50 or "—"),
                          f"{oem.min_level:.0%}")
        console.print(table)
    table = Table("Shanghai auto-chain firm", "ESRI", "downstream", "upstream",
                  title="Whose restart matters most (share of national production lost if it fails)")
    for row in story.key_suppliers:
        table.add_row(row.name, f"{row.esri:.2%}", f"{row.downstream:.2%}", f"{row.upstream:.2%}")
    console.print(table)


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
        _tell_story(engine)
    else:
        error_console.print("the registry already holds data; the demo was not loaded again")
    if serve:
        from chainkeeper.cli.main import serve as serve_command

        serve_command(host=None, port=None, workers=None)
