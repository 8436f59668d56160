"""The list page's entry rows built in Python: the same bytes the template's loop made (``trim_blocks`` /
``lstrip_blocks`` whitespace, values escaped) without the Jinja runtime's work per cell, which grew with the list."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from markupsafe import Markup, escape


def entry_rows(rows: Iterable, categories: Mapping[str, str], chains: Mapping[str, str],
               shown: Mapping[str, str]) -> Markup:
    """The ``<tr>`` of each row of :func:`chainkeeper.whitelist.entries.page_rows` (``categories``, ``chains``:
    names by code; ``shown``: the status and resumption labels as the template's ``_()`` shows them)."""
    return Markup("".join(
        f'      <tr><td><a href="/whitelists/entries/{entry_id}">{escape(name)}</a> <span class="mono muted">'
        f'{escape(uscc)}</span></td>\n'
        f'        <td>{escape(batch)}</td><td>{escape(categories.get(category, category))}</td>\n'
        f'        <td>{escape(chains.get(chain, "—"))}</td><td>{escape(shown[status.value])}</td>'
        f'<td>{escape(shown[resumption.value])}</td></tr>\n'
        for entry_id, name, uscc, batch, category, chain, status, resumption in rows))
