"""Checks of the read API's finished JSON documents (issue 15: ``json_api.exact_json``): the route validated no
rows into models, and its bytes are those pydantic-core makes of the same answer through the declared models."""

from __future__ import annotations

from pydantic import TypeAdapter


def count_validations(monkeypatch) -> list:
    """A list that grows by one at every ``TypeAdapter.validate_python`` of a dict or a list (a route's answer, not
    a query parameter) from here on."""
    calls: list = []
    real = TypeAdapter.validate_python

    def spy(self, data, *args, **kwargs):
        if isinstance(data, dict | list):
            calls.append(self)
        return real(self, data, *args, **kwargs)

    monkeypatch.setattr(TypeAdapter, "validate_python", spy)
    return calls


def model_bytes(body: bytes, shape) -> bytes:
    """``body`` validated into ``shape`` (the route's return type) and serialised again, as ``json_route`` would."""
    adapter = TypeAdapter(shape)
    return adapter.dump_json(adapter.validate_json(body))
