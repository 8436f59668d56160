"""``python -m chainkeeper``: the same as the ``chainkeeper`` command."""

from chainkeeper.cli.main import app

app(prog_name="chainkeeper")
