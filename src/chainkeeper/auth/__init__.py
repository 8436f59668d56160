"""Accounts, roles and region scoping: who may do what, and what each caller may see."""
