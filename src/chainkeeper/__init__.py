"""chainkeeper: keep industrial chains and supply chains running."""

__version__ = "0.1.0"
