"""The published copies of a bundle's photos: a few widths in AVIF, WebP and the original format, without metadata.

Each copy is an output ("out", path, "image", source, width, format), made in parallel
like any page: it reads the source file (and the settings), so it is made again only when the
photo's bytes or the image settings change. Every copy has the orientation applied to its pixels
and carries no EXIF, XMP or IPTC data; only the colour profile is kept. The copies of a bundle are
published once, beside its page in the default language (else its first published version); the file under the
photo's own name (the fallback `<img src>`) is published beside every version, at most as wide as
the largest width. A partner's logo of static/ (JPEG, PNG or WebP) is published beside it at the
height it is shown (LOGO_HEIGHT) and twice that, for screens of twice the density.
"""

from __future__ import annotations

import io
import warnings
from functools import cache
from typing import TYPE_CHECKING

from ..graph.inputs import read_input
from ..model.config import Images
from ..model.handles import Site
from ..model.images import Picture, is_raster
from ..pages.base import Made, Recipe, file_recipe
from .files import listed
from .kept_images import FOLDER, kept, key_of

if TYPE_CHECKING:
    from PIL import Image

SAVE_OPTIONS = {
    "JPEG": {"optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"method": 4},
    "AVIF": {"speed": 9, "max_threads": 1},  # one thread: the build's processes already use every core, and the bytes stay the same
}


@cache
def modern_formats() -> tuple[str, ...]:
    """The formats offered before the original, best first: AVIF when this Pillow can write it, then WebP."""
    from PIL import features  # Pillow is imported only by builds that publish pictures

    return ("AVIF", "WEBP") if features.check("avif") else ("WEBP",)


def widths_of(picture: Picture, limits: Images) -> tuple[int, ...]:
    """The widths a photo is published at: each configured width narrower than it, and the largest it allows (never wider)."""
    largest = min(picture.width, max(limits.widths))
    return tuple(sorted({w for w in limits.widths if w < largest} | {largest}))


LOGO_HEIGHT = 56  # CSS pixels: .partner-logo is 3.5rem high


def logo_widths(picture: Picture) -> tuple[int, ...]:
    """The widths a logo is published at: shown at LOGO_HEIGHT, and twice that (never larger than the file)."""
    heights = [h for h in (LOGO_HEIGHT, 2 * LOGO_HEIGHT) if h <= picture.height] or [picture.height]
    return tuple(max(1, round(picture.width * h / picture.height)) for h in heights)


def formats_of(picture: Picture) -> tuple[str, ...]:
    """The formats a photo is published in: the modern ones, then its own."""
    return tuple(dict.fromkeys((*modern_formats(), picture.format)))


def copy_name(name: str, width: int, fmt: str) -> str:
    """The file name of one copy: 'photo.jpg' at 480 pixels in WebP is 'photo.480.webp'."""
    return f"{name.rpartition('.')[0]}.{width}.{fmt.lower() if fmt != 'JPEG' else 'jpg'}"


def bundle_homes(site: Site) -> dict[str, str]:
    """Where each bundle's copies are published, by bundle folder: beside its page in the default language, else its first published version."""
    pages = site.published().pages
    memo = site.graph.resources.setdefault("bundle-homes", {})
    found = memo.get(id(pages))
    if found is None:
        memo.clear()
        found = memo[id(pages)] = {}
        default = site.config.default_language
        for page in pages:
            folder, _, name = page.shown.rpartition("/")
            if name.startswith("index.") and folder.count("/") == 2 and (folder not in found or page.lang == default):
                found[folder] = page.url
    return found


def outputs(site: Site) -> list[Recipe]:
    """The copies of every photo of every published bundle, beside the bundle's first page."""
    found = []
    bundles = site.graph.get(("bundle-files",))
    limits = site.config.images
    for folder, url in bundle_homes(site).items():
        for name in bundles.get(folder, ()):
            picture = site.graph.get(("image", f"{folder}/{name}")) if is_raster(name) else None
            if picture is None or not picture.encoded:
                continue
            for width in widths_of(picture, limits):
                for fmt in formats_of(picture):
                    if width != max(widths_of(picture, limits)) or fmt != picture.format:  # that one is the photo's own name
                        path = url.lstrip("/") + copy_name(name, width, fmt)
                        found.append(file_recipe(path, "image", (f"{folder}/{name}", width, fmt), f"{folder}/{name}"))
    return list({recipe.path: recipe for recipe in found + static_outputs(site) + logo_outputs(site)}.values())  # a logo's copy may be a photo's


def static_outputs(site: Site) -> list[Recipe]:
    """The copies of every photo of static/ (JPEG, PNG or WebP) that a page may show, beside it; the file itself is published as it is."""
    found = []
    limits = site.config.images
    for path, rel in site.graph.get(("static",)):
        picture = site.graph.get(("image", rel)) if is_raster(rel) else None
        if picture is not None and picture.encoded:
            found += [file_recipe(copy_name(path, width, fmt), "image", (rel, width, fmt), rel)
                      for width in widths_of(picture, limits) for fmt in formats_of(picture) if (width, fmt) != (picture.width, picture.format)]
    return found


def logo_outputs(site: Site) -> list[Recipe]:
    """The copies of every partner's logo of static/ that the build encodes, beside it."""
    found = []
    for partner in site.partners:
        shown = "static" + partner.logo if partner.logo and partner.logo.startswith("/") and is_raster(partner.logo) else ""
        picture = site.graph.get(("image", shown)) if shown and listed(site, shown) else None
        if picture is not None and picture.encoded:
            found += [file_recipe(copy_name(partner.logo.lstrip("/"), width, fmt), "image", (shown, width, fmt), shown)
                      for width in logo_widths(picture) for fmt in formats_of(picture)]
    return found


def make_copy(site: Site, shown: str, width: int = 0, fmt: str = "") -> Made:
    """One published copy of a photo (width 0: under its own name, as wide as allowed, in its own format)."""
    graph = site.graph
    limits = site.config.images
    picture = graph.get(("image", shown))
    data = read_input(graph, site.root, shown)
    if picture is None or data is None:
        return b""  # the image's own error says why; nothing is published
    width, fmt = width or max(widths_of(picture, limits)), fmt or picture.format
    key = key_of(data, width, fmt, limits.quality, limits.max_pixels)
    return kept(graph.resources["cache"] / FOLDER, key, lambda: encode(data, width, fmt, limits))


def encode(data: bytes, width: int, fmt: str, limits: Images) -> bytes:
    """A photo's bytes at a width in a format: orientation applied to the pixels, no metadata but the colour profile."""
    from PIL import Image

    image = upright(data, limits.max_pixels, width)
    pixels = _plain_mode(image, fmt)
    height = max(1, round(pixels.height * width / pixels.width))
    small = pixels.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0) if pixels.width != width else pixels.copy()
    return encode_image(small, fmt, limits.quality, image.info.get("icc_profile"))


def upright(data: bytes, max_pixels: int, side: int) -> Image.Image:
    """A photo's pixels turned by its EXIF orientation; a JPEG decoded at the smallest scale keeping both sides at least `side`.

    Both sides, since a turned photo's width is its stored height. The colour profile is kept in info.
    """
    from PIL import Image, ImageOps

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        Image.MAX_IMAGE_PIXELS = max_pixels
        with Image.open(io.BytesIO(data)) as image:
            if image.format == "JPEG":
                image.draft("RGB", (side, side))
            profile = image.info.get("icc_profile") if image.mode != "CMYK" else None
            turned = _eight_bits(ImageOps.exif_transpose(image))
    turned.info = {"icc_profile": profile} if profile else {}
    return turned


def _eight_bits(image: Image.Image) -> Image.Image:
    """Pixels of 8 bits a channel, transparency kept as alpha: 16-bit greys scaled down, a transparent palette colour made alpha."""
    if image.mode.startswith("I"):
        return image.convert("I").point(lambda value: value / 256).convert("L")
    if "transparency" in image.info:
        return image.convert("RGBA")
    return image


def encode_image(image: Image.Image, fmt: str, quality: int, profile: bytes | None = None) -> bytes:
    """Pixels saved in a format with nothing of their source's metadata (only the colour profile, when given)."""
    image.info = {}
    options = dict(SAVE_OPTIONS[fmt], **({"icc_profile": profile} if profile else {}))
    if fmt != "PNG":
        options["quality"] = quality
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def _plain_mode(image: Image.Image, fmt: str) -> Image.Image:
    """The pixels in a mode the format stores and resizing keeps: RGB, or RGBA where there is transparency (never in JPEG)."""
    alpha = image.mode in ("RGBA", "LA", "PA")
    mode = "RGBA" if alpha and fmt != "JPEG" else "RGB"
    if image.mode == "L" and fmt != "AVIF":
        mode = "L"
    return image if image.mode == mode else image.convert(mode)


KINDS = {"image": make_copy}
