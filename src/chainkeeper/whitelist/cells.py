"""The list page's entry rows built in Python: the same bytes the template's loop made (``trim_blocks`` /
``lstrip_blocks`` whitespace, values escaped) without the Jinja runtime's work per cell, which grew with the list."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from markupsafe import Markup, escape


def entry_rows(rows: Iterable, categories: Mapping[str, str], chains: Mapping[str, str],
               shown: Mapping[str, str], columns: Sequence[str]) -> Markup:
    """The ``<tr>`` of each row of :func:`chainkeeper.whitelist.entries.page_rows` (``categories``, ``chains``:
    names by code; ``shown``: the status and resumption labels as the template's ``_()`` shows them; ``columns``:
    the six column headings, shown, each cell's ``data-label`` so that a phone reads a row as a labelled card)."""
    enterprise, batch_, category_, chain_, status_, resumption_ = (escape(column) for column in columns)
    return Markup("".join(
        f'      <tr><td data-label="{enterprise}"><a href="/whitelists/entries/{entry_id}">{escape(name)}</a> '
        f'<span class="mono muted">{escape(uscc)}</span></td>\n'
        f'        <td data-label="{batch_}">{escape(batch)}</td>'
        f'<td data-label="{category_}">{escape(categories.get(category, category))}</td>\n'
        f'        <td data-label="{chain_}">{escape(chains.get(chain, "—"))}</td>'
        f'<td data-label="{status_}">{escape(shown[status.value])}</td>'
        f'<td data-label="{resumption_}">{escape(shown[resumption.value])}</td></tr>\n'
        for entry_id, name, uscc, batch, category, chain, status, resumption in rows))
