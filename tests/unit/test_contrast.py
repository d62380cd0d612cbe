"""Every foreground/background colour pair of both themes meets WCAG 2.1 AA, read from static/css/style.css itself.

The colours are the custom properties of the stylesheet's first :root block, each `light-dark(light, dark)` or one
value for both themes. Text needs 4.5:1 (1.4.3); focus outlines, field borders, buttons and chart bars 3:1 (1.4.11).
Every colour the stylesheet gives text or a background (outside print) must be in a pair below, so a new one
cannot go unchecked.
"""

from __future__ import annotations

import re

import pytest
from support import REPO

CSS = (REPO / "static/css/style.css").read_text(encoding="utf-8")
THEMES = ("light", "dark")
TEXT, UI = 4.5, 3.0
PAGE = ("var(--bg)", "var(--surface)", "var(--card)")
HERO = ("var(--hero1)", "var(--hero2)")
BANDS = ("var(--nav)", *HERO, "var(--footer)")  # the dark bands: navigation, home hero, footer

# (foreground, the backgrounds it is drawn on, the ratio it needs). "A over B": A, translucent, drawn on B.
PAIRS = [
    *((fg, PAGE, TEXT) for fg in ("var(--text)", "var(--soft)", "var(--muted)", "var(--heading)", "var(--link)",
                                  "var(--link-hover)", "var(--accent)")),
    ("var(--link)", ("var(--badge)",), TEXT),  # tag links hovered or current, the open settings button
    ("var(--btn-text)", ("var(--btn)", "var(--btn-hover)"), TEXT),
    ("var(--badge-text)", ("var(--badge)",), TEXT),
    ("var(--gold-text)", ("var(--gold)",), TEXT),
    ("var(--mark-text)", ("var(--mark)",), TEXT),
    ("var(--on-dark)", (*BANDS, "rgb(255 255 255 / 10%) over var(--nav)", *(f"rgb(255 255 255 / 12%) over {h}" for h in HERO)), TEXT),
    ("var(--on-dark-soft)", ("var(--footer)", *HERO), TEXT),
    ("var(--amber)", HERO, TEXT),  # the hero's kicker
    ("var(--on-amber)", ("var(--amber)", "var(--amber-hover)"), TEXT),
    ("var(--focus)", PAGE, UI),
    ("var(--amber)", BANDS, UI),  # the focus outline on the dark bands
    ("var(--field)", PAGE, UI),
    ("var(--btn)", PAGE, UI),
    ("var(--bg)", ("var(--accent)",), UI),  # the timeline's dots: a disc of --accent on the page
    *((bar, ("var(--bg)",), UI) for bar in ("var(--c1)", "var(--c2)", "var(--c3)")),
    ("var(--line)", ("var(--plate)",), 1.0),  # a partner's logo on its plate: logotypes have no contrast requirement (1.4.3, 1.4.11)
]
NOT_COLOURS = {"inherit", "currentcolor", "transparent", "none"}


def strip_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def tokens(css: str) -> dict[str, str]:
    """The custom properties of the first :root block."""
    block = re.search(r":root\s*\{(.*?)\}", strip_comments(css), re.S).group(1)
    return {name: value.strip() for name, value in re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", block)}


def split_args(text: str) -> list[str]:
    """The arguments of a CSS function, split at its top-level commas."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    return [*parts, text[start:].strip()]


def resolve(value: str, theme: str, props: dict[str, str]) -> str:
    """A colour expression with var() and light-dark() replaced by the theme's value."""
    value = value.strip()
    if m := re.fullmatch(r"var\((--[\w-]+)\)", value):
        return resolve(props[m.group(1)], theme, props)
    if m := re.fullmatch(r"light-dark\((.*)\)", value, re.S):
        light, dark = split_args(m.group(1))
        return resolve(light if theme == "light" else dark, theme, props)
    return value


def rgba(colour: str) -> tuple[float, float, float, float]:
    """#rgb, #rgba, #rrggbb, #rrggbbaa or rgb(r g b / a%) as 0-255 channels and an alpha of 0-1."""
    if colour.startswith("#"):
        digits = colour[1:]
        if len(digits) in (3, 4):
            digits = "".join(d * 2 for d in digits)
        channels = [int(digits[i:i + 2], 16) for i in range(0, len(digits), 2)]
        return (*channels[:3], channels[3] / 255 if len(channels) == 4 else 1.0)
    m = re.fullmatch(r"rgb\(\s*(\d+)\s+(\d+)\s+(\d+)\s*(?:/\s*([\d.]+)%)?\s*\)", colour)
    assert m, f"not a colour this test reads: {colour}"
    return (*(float(m.group(i)) for i in (1, 2, 3)), float(m.group(4)) / 100 if m.group(4) else 1.0)


def over(top: tuple, below: tuple) -> tuple:
    """`top` drawn on the opaque `below`."""
    alpha = top[3]
    return (*(alpha * t + (1 - alpha) * b for t, b in zip(top[:3], below[:3], strict=True)), 1.0)


def colour_of(expression: str, theme: str, props: dict[str, str]) -> tuple:
    """An opaque colour: "A over B" blended, else one resolved colour."""
    if " over " in expression:
        top, below = expression.split(" over ", 1)
        return over(rgba(resolve(top, theme, props)), colour_of(below, theme, props))
    found = rgba(resolve(expression, theme, props))
    assert found[3] == 1.0, f"{expression} is translucent in the {theme} theme: say what it is drawn on"
    return found


def luminance(colour: tuple) -> float:
    """WCAG 2.1 relative luminance."""
    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: tuple, b: tuple) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def without_block(css: str, opening: str) -> str:
    """The stylesheet without the block that starts with `opening` (its braces balanced)."""
    start = css.index(opening)
    depth = 0
    for end in range(css.index("{", start), len(css)):
        depth += (css[end] == "{") - (css[end] == "}")
        if depth == 0:
            return css[:start] + css[end + 1:]
    raise AssertionError(f"{opening} is not closed")


def declared(prop: str) -> set[str]:
    """Every value the stylesheet gives `prop` outside @media print (colours of a gradient one by one)."""
    css = without_block(strip_comments(CSS), "@media print")
    values = set()
    for value in re.findall(rf"(?<![-\w]){prop}\s*:\s*([^;}}]+)", css):
        value = value.replace("!important", "").strip()
        if m := re.fullmatch(r"linear-gradient\([^,]+,(.*)\)", value):
            values.update(split_args(m.group(1)))
        elif value.lower() not in NOT_COLOURS:
            values.add(value)
    return values


@pytest.mark.parametrize("theme", THEMES)
def test_every_pair_meets_aa(theme):
    props = tokens(CSS)
    failing = []
    for fg, backgrounds, needed in PAIRS:
        for bg in backgrounds:
            found = ratio(colour_of(fg, theme, props), colour_of(bg, theme, props))
            if found < needed:
                failing.append(f"{fg} on {bg}: {found:.2f}:1, needs {needed}:1")
    assert failing == []


def test_every_text_and_background_colour_is_in_a_checked_pair():
    """A colour given to text or a background anywhere in the stylesheet is one the pairs above check."""
    foregrounds = {fg for fg, _, _ in PAIRS}
    backgrounds = {part for _, bgs, _ in PAIRS for bg in bgs for part in bg.split(" over ")}
    assert declared("color") - foregrounds == set()
    assert (declared("background") | declared("background-color")) - backgrounds == set()


def test_the_themes_are_the_two_sides_of_light_dark():
    """Every token is one colour for both themes or light-dark(); the settings pick a side with color-scheme."""
    css = strip_comments(CSS)
    assert re.search(r'\[data-theme="light"\]\s*\{\s*color-scheme:\s*light;\s*\}', css)
    assert re.search(r'\[data-theme="dark"\]\s*\{\s*color-scheme:\s*dark;\s*\}', css)
    assert re.search(r":root\s*\{\s*color-scheme:\s*light dark;", css)
    assert "prefers-color-scheme" not in css, "the system theme comes from color-scheme: light dark, not a second set of tokens"


def test_the_checker_catches_a_failing_pair():
    """The arithmetic itself: black on white is 21:1, #777 on white fails text, a translucent white over black is grey."""
    white, black = rgba("#fff"), rgba("#000")
    assert round(ratio(white, black), 2) == 21.0
    assert ratio(rgba("#777777"), white) < TEXT <= ratio(rgba("#767676"), white)
    assert over(rgba("rgb(255 255 255 / 50%)"), black)[:3] == (127.5, 127.5, 127.5)
    props = {"--a": "light-dark(#fff, var(--b))", "--b": "#000"}
    assert colour_of("var(--a)", "light", props) == white and colour_of("var(--a)", "dark", props) == black
