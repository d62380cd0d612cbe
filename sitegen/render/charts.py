"""The funding bar chart, laid out at build time so the page needs no JavaScript.

The drawing is narrow (400 units) so that on a phone its text stays near its natural size;
long labels wrap onto several lines above their bar.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from ..model.i18n import Formatter
from ..model.schemas import Funding

WIDTH = 400
BAR_MAX = 290
BAR_HEIGHT = 26
LINE_HEIGHT = 19
LABEL_CHARS = 44
GAP = 22


def funding_bars(funding: Funding, tr: Callable, fmt: Formatter) -> dict:
    """Bars for the programme total, each source and each allocation, scaled to the largest."""
    total = fmt.strings["funding_bar_programme"].replace("{name}", tr(funding.programme.name))  # never read as the award
    rows = [(total, funding.programme.total, "programme")]
    rows += [(tr(s.programme), s.amount, "source") for s in funding.sources]
    rows += [(tr(a.purpose), a.amount, "allocation") for a in funding.allocations]
    largest = max(amount for _, amount, _ in rows)
    bars, y = [], 0
    for label, amount, group in rows:
        lines = textwrap.wrap(label, LABEL_CHARS) or [""]
        top = y + len(lines) * LINE_HEIGHT + 4
        width = max(2.0, round(BAR_MAX * amount / largest, 1))
        bars.append({
            "label": label, "group": group, "amount": amount, "text": fmt.money(amount), "short": fmt.money_short(amount),
            "lines": [(line, y + (i + 1) * LINE_HEIGHT - 4) for i, line in enumerate(lines)],
            "bar_y": top, "bar_width": width, "value_x": round(width + 8, 1), "value_y": top + BAR_HEIGHT - 7,
        })
        y = top + BAR_HEIGHT + GAP
    return {"bars": bars, "width": WIDTH, "height": y - GAP + 2, "bar_height": BAR_HEIGHT}
