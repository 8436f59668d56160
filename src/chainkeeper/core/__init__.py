"""Concepts every feature shares: who acts (the caller), how regions nest, stored files.

Features import these from here, never from one another (docs/architecture.md).
"""
