"""``chainkeeper analyze``: systemic risk and shock simulation on CSV networks.

The commands are thin: :mod:`chainkeeper.network.io` reads the CSV files into
a :class:`~chainkeeper.network.SupplyNetwork`, and :func:`run_esri` /
:func:`run_simulate` run the engine and write CSV results, so another
front end (e.g. a ``--from-registry`` option building the network from the
database) only has to supply a different network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
import numpy as np
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from chainkeeper.network import Shock, SupplyNetwork
from chainkeeper.network.errors import NetworkInputError
from chainkeeper.exporting import safe_row
from chainkeeper.network.io import read_network_csv, write_esri_csv, write_simulation_csv

analyze_app = typer.Typer(
    help="Systemic risk (ESRI) and day-by-day shock simulation on a supply network.",
    no_args_is_help=True,
)
console = Console(stderr=True)

EDGES_HELP = "Without the three CSV files, the registry's enterprises and links are analysed. Edges CSV: supplier,customer,weight[,inventory_days] (firm ids)."
FIRMS_HELP = "Firms CSV: firm,industry[,region]."
ESS_HELP = "Essentiality CSV: K x K matrix of 0/1/2, optional header of industry labels."


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(),
                    TextColumn("{task.completed}/{task.total}"), TimeRemainingColumn(),
                    console=console, transient=True)


def load_network(edges: Path | None, firms: Path | None, essentiality: Path | None) -> SupplyNetwork:
    """Read the three CSV files, or the registry when none is given; bad input exits with a clear message."""
    given = [p for p in (edges, firms, essentiality) if p is not None]
    if not given:
        return _registry_network()
    if len(given) != 3:
        console.print("[red]error:[/red] give all three CSV files (edges, firms, essentiality) or none")
        raise typer.Exit(code=2)
    try:
        return read_network_csv(edges, firms, essentiality)
    except (NetworkInputError, OSError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(code=2) from None


def _registry_network() -> SupplyNetwork:
    """The whole registry as a network (enterprise USCCs as firm ids, provinces as regions)."""
    from chainkeeper.analysis.loader import load_registry_network
    from chainkeeper.cli.common import open_engine
    from chainkeeper.db import unit_of_work
    from chainkeeper.errors import ValidationFailed

    try:
        with unit_of_work(open_engine()) as session:
            return load_registry_network(session=session).network
    except ValidationFailed as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(code=2) from None


def run_esri(network: SupplyNetwork, out: Path, eps: float = 0.01, engine: str = "auto") -> None:
    """ESRI of every firm's failure, written to ``out`` with a progress bar."""
    from chainkeeper.network import esri  # numba on first use, not when the CLI starts
    with _progress() as bar:
        task = bar.add_task("ESRI", total=network.n_firms)
        result = esri(network, eps=eps, engine=engine, block=1000,
                      progress=lambda done, total: bar.update(task, completed=done))
    write_esri_csv(out, network, result, cells=safe_row)
    console.print(f"wrote {len(result)} scores to {out}")


def run_simulate(network: SupplyNetwork, shocks: list[Shock], out: Path, days: int = 60,
                 rationing: str = "priority") -> list[Path]:
    """Simulate ``days`` days and write ``<out>_daily.csv`` and ``<out>_firms.csv``."""
    from chainkeeper.network import simulate  # numba on first use, not when the CLI starts
    with _progress() as bar:
        task = bar.add_task("simulate", total=days)
        result = simulate(network, shocks, days=days, rationing=rationing,
                          progress=lambda done, total: bar.update(task, completed=done))
    paths = write_simulation_csv(out, network, result, cells=safe_row)
    console.print(f"wrote {', '.join(str(p) for p in paths)}")
    return paths


@analyze_app.command("esri")
def esri_command(
    edges: Optional[Path] = typer.Argument(None, exists=True, dir_okay=False, help=EDGES_HELP),
    firms: Optional[Path] = typer.Argument(None, exists=True, dir_okay=False, help=FIRMS_HELP),
    essentiality: Optional[Path] = typer.Argument(None, exists=True, dir_okay=False, help=ESS_HELP),
    out: Path = typer.Option(Path("esri.csv"), "--out", "-o", help="Output CSV."),
    eps: float = typer.Option(0.01, help="Cascade stopping threshold."),
    engine: str = typer.Option("auto", help="auto, frontier or sparse."),
) -> None:
    """Economic Systemic Risk Index of every firm (CSV: firm,esri,downstream,upstream,iterations)."""
    run_esri(load_network(edges, firms, essentiality), out, eps=eps, engine=engine)


@analyze_app.command("simulate")
def simulate_command(
    edges: Optional[Path] = typer.Argument(None, exists=True, dir_okay=False, help=EDGES_HELP),
    firms: Optional[Path] = typer.Argument(None, exists=True, dir_okay=False, help=FIRMS_HELP),
    essentiality: Optional[Path] = typer.Argument(None, exists=True, dir_okay=False, help=ESS_HELP),
    cut: float = typer.Option(..., help="Capacity cut, e.g. 0.9 for -90%."),
    region: Optional[list[str]] = typer.Option(None, help="Hit every firm of this region: a province, city or county "
                                                          "code of the registry (a region code of the CSV files)."),
    industry: Optional[list[str]] = typer.Option(None, help="Hit every firm of this industry: a GB/T 4754 code of "
                                                            "the registry (an industry index or label of the CSV)."),
    chain: Optional[list[str]] = typer.Option(None, help="Registry only: hit the firms of this key chain."),
    firm: Optional[list[str]] = typer.Option(None, help="Hit this firm (a USCC of the registry, a CSV firm id)."),
    duration: Optional[int] = typer.Option(None, help="Days until recovery (default: never)."),
    start: int = typer.Option(0, help="First day of the cut (CSV files only)."),
    recovery: str = typer.Option("step", help="step, linear or exponential."),
    days: int = typer.Option(60, help="Days to simulate."),
    rationing: str = typer.Option("proportional", help="proportional or priority."),
    out: Path = typer.Option(Path("simulation"), "--out", "-o", help="Output prefix."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Language of the registry output: zh_CN or en."),
) -> None:
    """Day-by-day propagation of a capacity cut (e.g. --region 31 --cut 0.9 --duration 30).

    Without CSV files the registry is simulated: regions, industries, key chains and USCCs are checked against it
    (an unknown one is refused by name), the run is kept for the web workspace, and two files are written with
    names and rounded figures: ``<out>_firms.csv`` (hit enterprises) and ``<out>_daily.csv`` (production per day).
    """
    if not any((edges, firms, essentiality)):
        from chainkeeper.analysis.cli import simulate_registry
        from chainkeeper.analysis.scenario import ScenarioSpec

        spec = ScenarioSpec(cut=cut, duration=duration, horizon_days=days, recovery=recovery, rationing=rationing,
                            regions=tuple(region or ()), industries=tuple(industry or ()), chains=tuple(chain or ()),
                            firms=tuple(firm or ()))
        raise typer.Exit(code=simulate_registry(spec, out, lang, console))
    net = load_network(edges, firms, essentiality)
    try:
        idx = None
        if firm:
            lookup = {str(f): i for i, f in enumerate(net.firm_ids)}
            missing = [f for f in firm if f not in lookup]
            if missing:
                raise NetworkInputError(f"unknown firms {missing}")
            idx = [lookup[f] for f in firm]
        shock = Shock(cut=cut, firms=idx, regions=_csv_regions(net, region), industries=_csv_industries(net, industry),
                      start=start, duration=duration, recovery=recovery)  # type: ignore[arg-type]
        run_simulate(net, [shock], out, days=days, rationing=rationing)
    except NetworkInputError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(code=2) from None


def _csv_regions(net: SupplyNetwork, regions: list[str] | None) -> list[int] | None:
    """Region codes of the CSV network; one that no firm has is refused by name."""
    if not regions:
        return None
    known = set() if net.region is None else {int(r) for r in np.unique(net.region)}
    bad = [r for r in regions if not r.lstrip("-").isdigit() or int(r) not in known]
    if bad:
        raise NetworkInputError(f"no firm of the network is in region {', '.join(bad)}")
    return [int(r) for r in regions]


def _csv_industries(net: SupplyNetwork, industries: list[str] | None) -> list[int] | None:
    """Industries of the CSV network by index or label; an unknown one is refused by name."""
    if not industries:
        return None
    labels = [str(label) for label in (getattr(net, "industry_labels", None) or [])]
    found, bad = [], []
    for value in industries:
        if value in labels:
            found.append(labels.index(value))
        elif value.isdigit() and int(value) < net.n_industries:
            found.append(int(value))
        else:
            bad.append(value)
    if bad:
        raise NetworkInputError(f"no industry {', '.join(bad)} in the network")
    return found
