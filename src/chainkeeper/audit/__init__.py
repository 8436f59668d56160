"""The tamper-evident audit trail: append-only, hash-chained events of every change a person makes.

Use :mod:`chainkeeper.audit.service` (``record``, ``snapshot``, ``verify_chain``, ``search``, ``history``) and
:mod:`chainkeeper.audit.actor` (``Actor``, ``SYSTEM``, ``cli_actor``).
"""
