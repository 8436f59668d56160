"""The ``chainkeeper`` command line: Typer commands that call services only."""
