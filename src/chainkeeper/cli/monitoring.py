"""``chainkeeper monitoring``: monitoring and early warning (each feature registers its commands here in one line)."""

from __future__ import annotations

import typer

from chainkeeper.monitoring.forecast.cli import forecast_command

monitoring_app = typer.Typer(help="Monitoring and early warning.", no_args_is_help=True)
monitoring_app.command("forecast")(forecast_command)  # stoppage forecasts
