"""The engine's warnings about a run, stored by code and parameters and told in the reader's language."""

from __future__ import annotations

from chainkeeper.i18n import _, translate

MESSAGES = {
    "unstable": _("The network does not return to its steady state with these stock targets: a deviation grows by a "
                  "factor {factor} a day around its cycles, so late days show oscillation rather than the shock."),
    "marginal": _("Part of the network (a closed loop of firms without final demand) may settle at a new level "
                  "after a shock."),
    "stability_unchecked": _("Stability was not checked for this network of {n_links} links."),
    "locked_firms": _("{count} firms stopped and will not restart: {no_input} lack an input they no longer reorder, "
                      "{no_demand} have no demand left."),
    "not_recovered": _("No capacity is cut on the last day, yet national production is {level} of baseline: "
                       "{firms_below} firms are still below their baseline."),
    "inventory_raised": _("{count} links had a stock target below one day; it was raised to one day."),
}


def stored(warning) -> dict:
    """A :class:`chainkeeper.network.SimulationWarning` as stored with a run: its code and plain parameters."""
    params = {key: (round(value, 4) if isinstance(value, float) else value)
              for key, value in (getattr(warning, "params", None) or {}).items()}
    return {"code": getattr(warning, "code", ""), "params": params, "message": getattr(warning, "message", "")}


def told(warning: dict | str, language: str) -> str:
    """The warning in ``language`` (an unknown code keeps the engine's own English text)."""
    if isinstance(warning, str):
        return warning
    template, params = MESSAGES.get(warning.get("code", "")), dict(warning.get("params") or {})
    if template is None:
        return warning.get("message", "")
    params["factor"] = f"{float(params.get('spectral_radius') or 0):.3f}"
    params["level"] = f"{float(params.get('level') or 0):.1%}"
    return translate(template, language, **params)
