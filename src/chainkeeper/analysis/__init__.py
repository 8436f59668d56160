"""Runs the supply-network engine on the registry: load a network from the database, rank and simulate."""
