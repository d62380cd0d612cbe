"""The funding bar chart's layout, computed at build time: rows, scale, wrapped labels, positions."""

import yaml
from support import REPO

from sitegen.model.i18n import Formatter, Strings
from sitegen.model.schemas import Funding
from sitegen.render.charts import BAR_HEIGHT, BAR_MAX, GAP, LINE_HEIGHT, funding_bars

EN = Formatter("en", "en_GB", Strings(yaml.safe_load((REPO / "templates/i18n/en.yaml").read_text(encoding="utf-8"))))
FR = Formatter("fr", "fr_FR", Strings(yaml.safe_load((REPO / "templates/i18n/fr.yaml").read_text(encoding="utf-8"))))


def english(text) -> str:
    return text["en"] if isinstance(text, dict) else text


def funding(*allocations: tuple[str, int]) -> Funding:
    return Funding.model_validate({
        "programme": {"name": {"en": "Programme", "fr": "Programme"}, "plan": "France 2030", "total": 400_000_000},
        "sources": [{"id": "award", "programme": "Award", "funder": "The State", "amount": 100_000_000}],
        "allocations": [{"id": f"a{i}", "purpose": purpose, "amount": amount} for i, (purpose, amount) in enumerate(allocations)],
    })


def test_one_bar_per_row_scaled_to_the_largest():
    chart = funding_bars(funding(("Platforms", 40_000_000), ("Tiny", 1)), english, EN)
    rows = [(b["label"], b["group"], b["amount"], b["bar_width"], b["short"]) for b in chart["bars"]]
    assert rows == [
        ("Programme, total for all winners", "programme", 400_000_000, BAR_MAX, "€400M"),
        ("Award", "source", 100_000_000, 72.5, "€100M"),
        ("Platforms", "allocation", 40_000_000, 29.0, "€40M"),
        ("Tiny", "allocation", 1, 2.0, "€0M"),  # never thinner than 2 units, so it can be seen
    ]
    assert [b["text"] for b in chart["bars"][:2]] == ["€400 million", "€100 million"]
    assert chart["bars"][1]["value_x"] == 72.5 + 8


def test_rows_follow_each_other_and_long_labels_wrap():
    label = "Equipment for the five research platforms of the cluster, bought over ten years"
    chart = funding_bars(funding((label, 50_000_000)), english, EN)
    first, _, wrapped = chart["bars"]
    assert first["lines"] == [("Programme, total for all winners", LINE_HEIGHT - 4)] and first["bar_y"] == LINE_HEIGHT + 4
    assert first["value_y"] == first["bar_y"] + BAR_HEIGHT - 7
    assert [line for line, _ in wrapped["lines"]] == ["Equipment for the five research platforms of", "the cluster, bought over ten years"]
    row = LINE_HEIGHT + 4 + BAR_HEIGHT + GAP  # the height of a row with one line of label
    assert wrapped["lines"][0][1] == 2 * row + LINE_HEIGHT - 4
    assert wrapped["bar_y"] == 2 * row + 2 * LINE_HEIGHT + 4
    assert chart["height"] == wrapped["bar_y"] + BAR_HEIGHT + 2
    assert (chart["width"], chart["bar_height"]) == (400, BAR_HEIGHT)


def test_the_programme_bar_says_it_is_the_total_for_all_winners():
    """The programme's bar is never read as the biocluster's award: its label says what the amount is, in each language."""
    french = funding_bars(funding(), lambda text: text["fr"] if isinstance(text, dict) else text, FR)
    assert [b["label"] for b in french["bars"]] == ["Programme, enveloppe totale pour l'ensemble des lauréats", "Award"]
    assert [line for line, _ in french["bars"][0]["lines"]] == ["Programme, enveloppe totale pour l'ensemble", "des lauréats"]
