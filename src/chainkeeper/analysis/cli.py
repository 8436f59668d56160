"""The registry half of ``chainkeeper analyze simulate``: a checked scenario, run and kept, written with names.

The run is stored like a web run (shared: every user of the workspace may open it, each seeing its own scope) and
its result written as two CSV files: the hit enterprises and production per day, rounded.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from chainkeeper.analysis import export, runs
from chainkeeper.analysis.models import RunState
from chainkeeper.analysis.results import error_text, result_view, scope_summary
from chainkeeper.analysis.scenario import ScenarioRejected, ScenarioSpec
from chainkeeper.audit.actor import cli_actor
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.db import unit_of_work

OPERATOR = Principal(user_id=0, username="cli", display_name="cli", roles=frozenset({Role.analyst}))
"""Who reads the result on the command line: the operator sees the whole country."""


def simulate_registry(spec: ScenarioSpec, out: Path, lang: str | None, console: Console) -> int:
    """Run ``spec`` on the registry and write ``<out>_firms.csv`` and ``<out>_daily.csv``; the exit code."""
    from chainkeeper.cli.common import language as chosen_language
    from chainkeeper.cli.common import open_engine

    language = chosen_language(lang)
    engine = open_engine()
    try:
        with unit_of_work(engine) as session:
            run_id = runs.create_run(session=session, principal=None, actor=cli_actor(), spec=spec).id
    except ScenarioRejected as refused:
        console.print(f"[red]error:[/red] {refused.translated(language)}")
        return 2
    run = runs.run_now(engine, run_id)
    if run.state is not RunState.done:
        console.print(f"[red]error:[/red] {error_text(run, language)}")
        return 1
    with unit_of_work(engine) as session:
        view = result_view(session=session, principal=OPERATOR, run=runs.get_run(
            session=session, principal=OPERATOR, run_id=run_id), language=language)
        firms, daily = out.with_name(out.name + "_firms.csv"), out.with_name(out.name + "_daily.csv")
        firms.write_bytes(export.to_csv(view, language))
        daily.write_bytes(export.daily_csv(view, language))
        summary = scope_summary(view)
    console.print(f"run {run_id}: lowest national production {summary['lowest']:.1%} on day {summary['lowest_day']}, "
                  f"{summary['hit_inside']} enterprises below 90% besides the {summary['shocked_inside']} cut")
    for warning in view.warnings(language):
        console.print(f"[yellow]warning:[/yellow] {warning}")
    console.print(f"wrote {firms}, {daily}")
    return 0
