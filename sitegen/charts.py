"""The funding bar chart, laid out at build time so the page needs no JavaScript."""

from __future__ import annotations

from collections.abc import Callable

from .i18n import Formatter, Strings
from .schemas import Funding

BAR_HEIGHT = 28
GAP = 18
LABEL_WIDTH = 0


def funding_bars(funding: Funding, tr: Callable, fmt: Formatter, t: Strings) -> dict:
    """Bars for the programme total, each source and each allocation, scaled to the largest."""
    rows = [(tr(funding.programme.name), funding.programme.total, "programme")]
    rows += [(tr(s.programme), s.amount, "source") for s in funding.sources]
    rows += [(tr(a.purpose), a.amount, "allocation") for a in funding.allocations]
    largest = max(amount for _, amount, _ in rows)
    bars = []
    for i, (label, amount, group) in enumerate(rows):
        bars.append({
            "label": label, "group": group, "amount": amount,
            "text": fmt.money(amount), "short": fmt.money_short(amount),
            "width": round(100 * amount / largest, 2),
            "y": i * (BAR_HEIGHT + GAP + 22),
        })
    height = len(bars) * (BAR_HEIGHT + GAP + 22)
    return {"bars": bars, "height": height, "bar_height": BAR_HEIGHT}
