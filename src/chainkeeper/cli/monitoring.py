"""``chainkeeper monitoring …``: the monitoring features' commands, one sub-group or command per feature."""

from __future__ import annotations

import typer

from chainkeeper.monitoring.forecast.cli import forecast_command
from chainkeeper.monitoring.indicators.cli import indicators_app

monitoring_app = typer.Typer(help="Monitoring and early warning.", no_args_is_help=True)
monitoring_app.add_typer(indicators_app, name="indicators")
monitoring_app.command("forecast")(forecast_command)  # stoppage forecasts
