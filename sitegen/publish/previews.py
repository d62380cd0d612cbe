"""Link previews: each article's own picture for og:image, twitter:image and its JSON-LD image, 1200×630.

An article's preview is its front matter `image`, else the first photo of its body, cropped to
1200:630 around `image_focus` (default: the centre) and never enlarged; an article without a
photo gets a generated card: its title and date in its language, the site's name and mark
(static/images/logo.png), on the brand colours. Each is an output ("out", "<article>/preview.jpg",
"preview", source), made in parallel like any page, beside each language version of the article.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..graph.core import Graph, Rule
from ..graph.inputs import read_input
from ..model.handles import Page, Site
from ..model.images import Picture, is_raster
from ..model.sources import source_key
from ..pages.base import Lang, Made, Recipe, file_recipe
from ..render.pictures import image_file
from .derivatives import encode_image, upright
from .files import listed

if TYPE_CHECKING:
    from PIL import Image, ImageFont

WIDTH, HEIGHT = 1200, 630
NAME = "preview.jpg"
BRAND, AMBER, WHITE, PALE = "#0b4f6c", "#f2b134", "#ffffff", "#e2eef4"
FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian's fonts-dejavu-core


class Lead(NamedTuple):
    """The photo an article's preview is cut from: its file, and what it shows."""

    shown: str
    alt: str


def outputs(site: Site) -> list[Recipe]:
    """The preview of every published article (with `images.cards: false`, of those with a photo), beside each language version."""
    pages = {page.shown: page for page in site.published().pages}
    cards = site.config.images.cards
    return [file_recipe(pages[shown].url.lstrip("/") + NAME, "preview", (shown,), shown)
            for lang in site.config.langs
            for shown in (site.graph.get(("articles", lang)) if cards else site.graph.get(("with-photo", lang)))]


def with_photo(graph: Graph, lang: str) -> tuple[str, ...]:
    """("with-photo", lang): the articles of a language that have a photo (what the list of outputs reads, not each article)."""
    return tuple(shown for shown in graph.get(("articles", lang)) if graph.get(("lead", shown)) is not None)


def lead_rule(graph: Graph, shown: str) -> Lead | None:
    """("lead", path): the photo an article's preview is cut from, if any (an edit of its title or text stops here).

    None too for a file that cannot be read any more: a node is computed again when what it read changed.
    """
    page = Page(graph, shown)
    return lead_of(Site(graph), page) if page.meta is not None else None


def preview_url(site: Site, page: Page) -> str:
    """The address of an article's preview (without the site's base path); "" when it has none (the site's picture then)."""
    return page.url + NAME if site.config.images.cards or site.graph.get(("lead", page.shown)) is not None else ""


def preview_alt(site: Site, page: Page) -> str:
    """What an article's preview shows: its photo's alt text, else its title (the card shows it); "" without a preview."""
    lead = site.graph.get(("lead", page.shown))
    return lead.alt if lead else page.title if site.config.images.cards else ""


def lead_of(site: Site, page: Page) -> Lead | None:
    """The photo of an article its preview is cut from: its front matter image, else the first photo of its body."""
    meta = page.meta
    candidates = [(meta.image, meta.image_alt or "")] if meta.image else site.graph.get(("body-images", page.shown))
    for src, alt in candidates:
        shown = image_file(page, src)
        if shown and is_raster(shown) and listed(site, shown) and isinstance(site.graph.get(("image", shown)), Picture):
            return Lead(shown, alt)
    return None


def body_images(graph: Graph, shown: str) -> tuple[tuple[str, str], ...]:
    """("body-images", path): the (src, alt) of every image of a page's body, in order (a body edit elsewhere stops here).

    Found when the body was converted (with the parse): the body itself is not read again here.
    """
    parsed = graph.get(source_key(graph, shown))
    return parsed.images if parsed else ()


def make_preview(site: Site, shown: str) -> Made:
    """An article's preview: its photo cropped around its focus, else its card."""
    page = site.page(shown)
    lead = site.graph.get(("lead", shown))
    if lead is not None:
        data = read_input(site.graph, site.root, lead.shown)
        if data is not None:
            return crop(data, tuple(page.meta.image_focus or (0.5, 0.5)), site.config.images.max_pixels, site.config.images.quality)
    return card(site, page)


def crop(data: bytes, focus: tuple[float, float], max_pixels: int, quality: int) -> bytes:
    """A photo cut to 1200:630 around a focal point ([x, y], 0 to 1 from the top left), at most 1200 pixels wide, as JPEG."""
    from PIL import Image  # Pillow is imported only by builds that make a preview

    image = upright(data, max_pixels, WIDTH).convert("RGB")
    box = focus_box(image.size, focus)
    cut = image.crop(box)
    if cut.width > WIDTH:
        cut = cut.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return encode_image(cut, "JPEG", quality)


def focus_box(size: tuple[int, int], focus: tuple[float, float]) -> tuple[int, int, int, int]:
    """The largest 1200:630 box in an image, centred on the focal point as far as the edges allow."""
    width, height = size
    box_w, box_h = (round(height * WIDTH / HEIGHT), height) if width * HEIGHT > height * WIDTH else (width, round(width * HEIGHT / WIDTH))
    left = min(max(round(focus[0] * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focus[1] * height - box_h / 2), 0), height - box_h)
    return left, top, left + box_w, top + box_h


def card(site: Site, page: Page) -> bytes:
    """The generated preview of an article without a photo: its title and date, the site's name and mark, on the brand colours."""
    from PIL import ImageDraw

    v = Lang(site, page.lang)
    mark = read_input(site.graph, site.root, "static/images/logo.png") or b""
    image = _background(v.tr(site.config.title), mark).copy()
    draw = ImageDraw.Draw(image)
    title_font = _font(0, 60)
    for number, line in enumerate(wrap(page.title, title_font, WIDTH - 144, 4)):
        draw.text((72, 240 + 74 * number), line, font=title_font, fill=WHITE)
    draw.text((72, HEIGHT - 72), v.fmt.day(page.date), font=_font(1, 32), fill=AMBER, anchor="ls")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)  # flat colours and text: optimizing the tables would triple the time for 10 % of the bytes
    return out.getvalue()


@lru_cache(maxsize=8)
def _background(site_title: str, mark: bytes) -> Image.Image:
    """What every card of a language shares: the brand colour, the amber rule, the mark in its white ring and the site's name (made once)."""
    from PIL import Image, ImageDraw, ImageOps

    image = Image.new("RGB", (WIDTH, HEIGHT), BRAND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, HEIGHT - 16, WIDTH, HEIGHT), fill=AMBER)
    if mark:
        logo = ImageOps.contain(Image.open(io.BytesIO(mark)).convert("RGBA"), (120, 120))
        draw.ellipse((64, 56, 200, 192), fill=WHITE)  # the mark's white ring, as on the site's own preview
        image.paste(logo, (72 + (120 - logo.width) // 2, 64 + (120 - logo.height) // 2), logo)
    draw.text((216, 124), site_title, font=_font(0, 34), fill=WHITE, anchor="lm")
    return image


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int, most: int) -> list[str]:
    """A text in lines no wider than `width`, at most `most` of them (the last one cut with '…')."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] += "…"
    for i, line in enumerate(lines):
        while font.getlength(line) > width and len(line) > 1:
            line = line[:-2] + "…"
        lines[i] = line
    return lines


@lru_cache(maxsize=8)
def _font(weight: int, size: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans (bold for weight 0) from Debian's fonts, else the font Pillow carries."""
    from PIL import ImageFont

    path = FONTS[weight]
    return ImageFont.truetype(path, size) if Path(path).is_file() else ImageFont.load_default(size)


KINDS = {"preview": make_preview}
RULES = (Rule("body-images", 5, body_images), Rule("lead", 6, lead_rule), Rule("with-photo", 7, with_photo))
