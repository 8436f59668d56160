"""``python -m chainkeeper``: the same as the ``chainkeeper`` command."""

from chainkeeper.cli.main import run

run()
