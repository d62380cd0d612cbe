"""The `<img>` of every picture a page shows: its size, lazy loading below the lead, and `<picture>` sources of a few widths.

A photo of the page's bundle becomes a `<picture>` with a source per modern format (AVIF, WebP)
and the original format as the `<img>` fallback, each with a `srcset` of the widths it is
published at. An SVG, a GIF or an animated WebP or PNG of the bundle, and any picture of static/,
keeps its file (without metadata) and gains its size.
Images the build cannot read are left as written, with an error at the line that shows them.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

from ..checks.links import line_in
from ..model.handles import Page, Site
from ..model.images import Picture, is_sized
from ..problems import Problem
from ..publish.derivatives import bundle_homes, copy_name, formats_of, logo_widths, widths_of
from ..publish.files import listed
from .attributes import attributes

SIZES = "(min-width: 48rem) 44rem, calc(100vw - 2rem)"  # the width of the article's column (--measure, 44rem) or the screen's
MIME = {"AVIF": "image/avif", "WEBP": "image/webp", "JPEG": "image/jpeg", "PNG": "image/png"}
_IMG = re.compile(r"""<img\b((?:[^>"']|"[^"]*"|'[^']*')*?)\s*/?>""", re.I)  # a '>' inside a quoted value does not end the tag
_BLOCK_ENDS = ("</p>", "</figure>", "</ul>", "</ol>", "</h2>", "</h3>", "</table>", "</blockquote>", "</div>")
_OURS = ("src", "srcset", "sizes", "width", "height", "loading", "decoding", "fetchpriority")


def with_pictures(site: Site, page: Page, body: str) -> str:
    """A page's body HTML with every image it shows sized, lazy, and offered in a few widths and formats.

    The image in the body's first block of a page without a lead image is the first thing a reader
    sees: it loads at once, like a lead image.
    """
    first = body.find("<img")
    if first < 0:
        return body
    top = first if not page.meta.image and first < _first_block_end(body) else -1
    return _IMG.sub(lambda found: _rewrite(site, page, found.group(0), found.group(1), found.start() == top), body)


def _first_block_end(body: str) -> int:
    """Where the body's first block (a paragraph, a figure, a list...) ends."""
    ends = [at for tag in _BLOCK_ENDS if (at := body.find(tag)) >= 0]
    return min(ends, default=len(body))


def lead_picture(site: Site, page: Page, name: str, alt: str) -> Markup | None:
    """The article's lead picture (its front matter image): sized, loaded at once, in a few widths and formats."""
    return _picture(site, page, name, {"alt": alt}, lead=True)


def logo(site: Site, address: str | None, lazy: bool) -> Markup | None:
    """A partner's logo (an image of static/), decorative beside the partner's name; None when it has none.

    A JPEG, PNG or WebP logo is offered at the height it is shown and twice that (1x, 2x), in each format.
    """
    shown = "static" + (address or "")
    picture = site.graph.get(("image", shown)) if address and address.startswith("/") and listed(site, shown) and is_sized(shown) else None
    if not isinstance(picture, Picture):
        return None  # ("logo-check",) says why
    attrs = {"class": "partner-logo", "alt": "", "role": "presentation"}
    loading = {"loading": "lazy", "decoding": "async"} if lazy else {}
    if not picture.encoded:
        return Markup(_img({**attrs, "src": site.config.base_path + address, "width": str(picture.width), "height": str(picture.height),
                            **loading}))
    widths = logo_widths(picture)

    def srcset(fmt: str) -> str:
        """Each copy in a format, by screen density."""
        return ", ".join(f"{site.config.base_path}/{copy_name(address.lstrip('/'), width, fmt)} {k}x" for k, width in enumerate(widths, 1))

    sources = "".join(f'<source type="{MIME[fmt]}" srcset="{html.escape(srcset(fmt))}">' for fmt in formats_of(picture)[:-1])
    height = max(1, round(picture.height * widths[0] / picture.width))
    fallback = _img({**attrs, "src": srcset(picture.format).split(" ")[0], "srcset": srcset(picture.format), "width": str(widths[0]),
                     "height": str(height), **loading})
    return Markup(f"<picture>{sources}{fallback}</picture>")


def _rewrite(site: Site, page: Page, tag: str, attrs_text: str, lead: bool) -> str:
    """One `<img>` tag of a body as published."""
    attrs = attributes(attrs_text)
    made = _picture(site, page, attrs.get("src", ""), attrs, lead=lead)
    return tag if made is None else str(made)


def image_file(page: Page, src: str) -> str | None:
    """The site file an image address on a page names: a file of its bundle ('photo.jpg') or of static/ ('/images/x.svg')."""
    if not src or any(c in src for c in "?#:\\") or not is_sized(src) or ".." in src.split("/"):
        return None
    if src.startswith("/") and not src.startswith("//"):
        return "static" + src
    folder, _, name = page.shown.rpartition("/")
    return f"{folder}/{src}" if "/" not in src and name.startswith("index.") and folder.count("/") == 2 else None


def _picture(site: Site, page: Page, src: str, attrs: dict[str, str], lead: bool) -> Markup | None:
    """An image as published: a `<picture>` for a photo (of the bundle or of static/), else the `<img>` with its size; None when unknown."""
    shown = image_file(page, src)
    if shown is None or not listed(site, shown):
        return None  # the link check says it is missing
    picture = site.graph.get(("image", shown))
    if not isinstance(picture, Picture):
        if shown.startswith("static/"):  # a bundle's image is reported by ("image-check", path)
            _refused(site, page, src, shown)
        return None
    kept = {name: value for name, value in attrs.items() if name not in _OURS}
    loading = {"fetchpriority": "high"} if lead else {"loading": "lazy", "decoding": "async"}
    if not picture.encoded:
        return Markup(_img({"src": src, **kept, "width": str(picture.width), "height": str(picture.height), **loading}))
    return Markup(_sources(site, shown, picture) + _fallback(site, shown, src, picture, kept, loading) + "</picture>")


def _refused(site: Site, page: Page, src: str, shown: str) -> None:
    """Why a picture of static/ a page shows cannot be published, at the page's line that shows it."""
    refusal = site.graph.get(("probe", shown))
    line = line_in(site.graph, site.root, page.shown, src)
    site.graph.problem(Problem(page.shown, line, "error", f"{src}: {refusal.message}", refusal.hint))


def _sources(site: Site, shown: str, picture: Picture) -> str:
    """`<picture>` and one `<source>` per modern format, each with every width it is published at."""
    parts = ["<picture>"]
    for fmt in formats_of(picture)[:-1]:
        srcset = ", ".join(f"{_copy_url(site, shown, width, fmt)} {width}w" for width in widths_of(picture, site.config.images))
        parts.append(f'<source type="{MIME[fmt]}" srcset="{html.escape(srcset)}" sizes="{SIZES}">')
    return "".join(parts)


def _fallback(site: Site, shown: str, src: str, picture: Picture, kept: dict[str, str], loading: dict[str, str]) -> str:
    """The `<img>` in the photo's own format: its own file at the width it is published at, copies for the others."""
    widths = widths_of(picture, site.config.images)
    own = widths[-1] if shown.startswith("content/") else picture.width  # a bundle's own name is a copy; a file of static/ is itself
    srcset = ", ".join(f"{src if width == own else _copy_url(site, shown, width, picture.format)} {width}w" for width in widths)
    height = max(1, round(picture.height * widths[-1] / picture.width))
    return _img({"src": src, "srcset": srcset, "sizes": SIZES, **kept, "width": str(widths[-1]), "height": str(height), **loading})


def _copy_url(site: Site, shown: str, width: int, fmt: str) -> str:
    """The address of one copy of a photo: beside its bundle's first page (see bundle_homes), or beside its file of static/."""
    folder, _, name = shown.rpartition("/")
    home = f"{folder[len('static'):]}/" if shown.startswith("static/") else bundle_homes(site)[folder]
    return site.config.base_path + home + copy_name(name, width, fmt)


def _img(attrs: dict[str, str]) -> str:
    """An `<img>` tag with these attributes, escaped."""
    return "<img " + " ".join(f'{name}="{html.escape(value)}"' for name, value in attrs.items()) + ">"
