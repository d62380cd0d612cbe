"""Pictures as the build knows them: each image file's format and size, read once per change, or why it cannot be published.

("probe", path) probes one image file: its size on disk (checked before it is read), its real
format (checked against its extension), its pixels (checked against the limit before they are
decoded, then decoded to find a truncated file) and its orientation. The value is a `Picture`, or
a `Refusal` saying why it cannot be published. ("image", path) is the `Picture`, or None.
("image-check", path) reports a refused image of a bundle at each line of the bundle's Markdown
that names it, or on the file itself when none does (the build then publishes nothing).
"""

from __future__ import annotations

import io
import re
import warnings
from typing import TYPE_CHECKING, NamedTuple

from ..checks.links import line_in
from ..graph.core import Graph, Rule
from ..graph.inputs import read_input, unreadable
from ..problems import Problem
from .config import Images
from .datafiles import entry_line

if TYPE_CHECKING:
    from PIL import Image

RASTER = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}  # published smaller, in modern formats, without metadata
SIZED = {**RASTER, ".gif": "GIF", ".svg": "SVG"}  # shown with their size; GIF and SVG files are published as they are
UNSHOWN = {".heic": "HEIC", ".heif": "HEIF", ".tif": "TIFF", ".tiff": "TIFF", ".bmp": "BMP"}  # cameras' formats browsers do not show: refused
EXTENSION = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "SVG": "svg"}
ROTATED = (5, 6, 7, 8)  # EXIF orientations that swap width and height
_SVG_TAG = re.compile(rb"<svg\b([^>]*)>", re.I)
_SVG_ATTR = re.compile(rb"""\s(width|height|viewBox)\s*=\s*["']([^"']*)["']""", re.I)
_LENGTH = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*")


class Picture(NamedTuple):
    """An image that can be published: its size as shown (orientation applied) and its format."""

    width: int
    height: int
    format: str  # Pillow's name: JPEG, PNG, WEBP, GIF, or SVG
    animated: bool = False  # an animated WebP or PNG is published as it is (its metadata taken out), like a GIF

    @property
    def encoded(self) -> bool:
        """True for a photo the build publishes in copies of a few widths and formats (a still JPEG, PNG or WebP)."""
        return self.format in RASTER.values() and not self.animated


class Refusal(NamedTuple):
    """Why an image cannot be published, and what to do."""

    message: str
    hint: str


def is_sized(name: str) -> bool:
    """True for a file name the build reads as an image (or refuses as one)."""
    return _extension(name) in SIZED or _extension(name) in UNSHOWN


def is_raster(name: str) -> bool:
    """True for a file name the build publishes in smaller copies and modern formats."""
    return _extension(name) in RASTER


def _extension(name: str) -> str:
    """A file name's extension, lowercase, with its dot."""
    dot = name.rfind(".")
    return name[dot:].lower() if dot > name.rfind("/") else ""


def image_rule(graph: Graph, shown: str) -> Picture | None:
    """("image", path): the picture an image file holds; None when it cannot be published (see ("image-check", path))."""
    found = graph.get(("probe", shown))
    return found if isinstance(found, Picture) else None


def check_rule(graph: Graph, shown: str) -> None:
    """("image-check", path): why a bundle's image cannot be published, at each line of the bundle's Markdown naming it, else on the file."""
    found = graph.get(("probe", shown))
    config = graph.get(("config",))
    if not isinstance(found, Refusal) or config is None:
        return
    folder, _, name = shown.rpartition("/")
    places = [(page, line) for page in (f"{folder}/index{'' if lang == config.default_language else '.' + lang}.md" for lang in config.langs)
              if (line := line_in(graph, graph.resources["root"], page, name))]
    for page, line in places:
        graph.problem(Problem(page, line, "error", f"{name}: {found.message}", found.hint))
    if not places:
        graph.problem(Problem(shown, 0, "error", found.message, found.hint))


LOGO_HINT = "put the logo in static/ (static/images/partners/x.svg) and write its address from there: /images/partners/x.svg"


def check_logos(graph: Graph) -> None:
    """("logo-check",): each partner's logo is a picture of static/ the build can publish, else an error at its line."""
    data = graph.get(("data", "partners"))
    published = {rel for _path, rel in graph.get(("static",))}
    for partner in data.value or ():
        if not partner.logo:
            continue
        line = entry_line(data, partner.id, ("logo",))
        shown = "static" + partner.logo
        why = ("must be an address in static/, starting with '/'" if not partner.logo.startswith("/") else
               "is not a picture (SVG, PNG, JPEG, WebP or GIF)" if not is_sized(shown) or _extension(shown) in UNSHOWN else
               "is not a file of static/" if shown not in published else "")
        found = graph.get(("probe", shown)) if not why else None
        if why:
            graph.problem(Problem(data.shown, line, "error", f"partner '{partner.id}': the logo '{partner.logo}' {why}", LOGO_HINT))
        elif isinstance(found, Refusal):
            graph.problem(Problem(data.shown, line, "error", f"partner '{partner.id}': {partner.logo}: {found.message}", found.hint))


def probe_rule(graph: Graph, shown: str) -> Picture | Refusal:
    """("probe", path): the picture of an image file, its size checked before it is read, or why it cannot be published."""
    config = graph.get(("config",))
    limits = config.images if config is not None else Images()
    graph.get(("file", shown))
    root = graph.resources["root"]
    try:
        size = (root / shown).stat().st_size
    except OSError:
        size = 0
    if size > limits.max_bytes:
        return too_many_bytes(size, limits)
    data = read_input(graph, root, shown)
    if data is None:
        return Refusal(unreadable(root, shown), "check that the file exists and that you may read it")
    return probe(data, _extension(shown), limits)


def too_many_bytes(size: int, limits: Images) -> Refusal:
    """The refusal of a file larger than images.max_bytes."""
    return Refusal(f"the image is {_bytes(size)}, more than the {_bytes(limits.max_bytes)} allowed (images.max_bytes)",
                   "export it again smaller (a photo needs no more than 4000 pixels across), or raise images.max_bytes in config.yaml")


def _bytes(size: int) -> str:
    """A file size as editors read it: '2.5 MB', '12 kB', '800 bytes'."""
    return f"{size / 1e6:.1f} MB" if size >= 1_000_000 else f"{size / 1e3:.0f} kB" if size >= 1000 else f"{size} bytes"


def probe(data: bytes, extension: str, limits: Images) -> Picture | Refusal:
    """The picture in an image file's bytes, its format checked against its extension, or why it cannot be published."""
    if extension in UNSHOWN:
        return Refusal(f"the image is a {UNSHOWN[extension]} file, which browsers do not show (and which keeps the camera's data)",
                       "export it as JPEG (a photo) or PNG (a drawing, a screenshot)")
    claimed = SIZED[extension]
    if claimed == "SVG":
        return svg_size(data)
    from PIL import Image, UnidentifiedImageError  # Pillow is imported only by builds that probe a picture

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        Image.MAX_IMAGE_PIXELS = limits.max_pixels  # Pillow refuses at twice this, before decoding; our own check below is exact
        try:
            with Image.open(io.BytesIO(data)) as image:
                return _checked(image, claimed, extension, limits)
        except Image.DecompressionBombError:
            return _too_many_pixels(None, limits)
        except UnidentifiedImageError:
            return Refusal("the file is not a picture the build can read (JPEG, PNG, WebP, GIF or SVG)",
                           "open it in an image editor and export it again as JPEG or PNG")
        except (OSError, ValueError, SyntaxError, EOFError):
            return Refusal("the image is truncated or damaged", "copy it again from the original, or export it again")


def _checked(image: Image.Image, claimed: str, extension: str, limits: Images) -> Picture | Refusal:
    """An opened image checked: its real format, its number of pixels, its pixels decoded; its size as shown."""
    if image.format != claimed:
        real = EXTENSION.get(image.format or "", (image.format or "other").lower())
        return Refusal(f"the image is a {image.format} file, not the {claimed} its extension '{extension}' says",
                       f"rename it with the extension '.{real}'" if image.format in EXTENSION else "export it again as JPEG or PNG")
    width, height = image.size
    if width * height > limits.max_pixels:
        return _too_many_pixels((width, height), limits)
    if image.format == "JPEG":
        image.draft("RGB", (max(1, width // 8), max(1, height // 8)))  # decoded at an eighth: enough to find a truncated file
    image.load()
    orientation = image.getexif().get(0x0112)
    if orientation in ROTATED:
        width, height = height, width
    return Picture(width, height, claimed, bool(getattr(image, "is_animated", False)))


def _too_many_pixels(size: tuple[int, int] | None, limits: Images) -> Refusal:
    """The refusal of an image with more pixels than images.max_pixels."""
    shown = f"is {size[0]}×{size[1]} pixels, more than the {limits.max_pixels:,}" if size else f"has more than twice the {limits.max_pixels:,} pixels"
    return Refusal(f"the image {shown} allowed (images.max_pixels)",
                   "resize it to at most 4000 pixels across, or raise images.max_pixels in config.yaml")


def svg_size(data: bytes) -> Picture | Refusal:
    """The size an SVG file gives itself (width and height, else its viewBox), read from its root tag only."""
    found = _SVG_TAG.search(data[:65536])
    if found is None:
        return Refusal("the file is not an SVG image", "export it again as SVG, or rename it with its real extension")
    attrs = {name.decode().lower(): value.decode("utf-8", "replace") for name, value in _SVG_ATTR.findall(found.group(1))}
    width, height = (_length(attrs.get(name, "")) for name in ("width", "height"))
    box = attrs.get("viewbox", "").replace(",", " ").split()
    if (width is None or height is None) and len(box) == 4:
        try:
            width, height = round(float(box[2])), round(float(box[3]))
        except ValueError:
            width = height = None
    if not width or not height:
        return Refusal("the SVG image gives itself no size", "add a viewBox (or width and height in pixels) to its <svg> tag")
    return Picture(width, height, "SVG")


def _length(value: str) -> int | None:
    """A length in pixels ('120', '120px'), else None (percentages and other units do not give a size)."""
    found = _LENGTH.fullmatch(value)
    return round(float(found.group(1))) if found else None


RULES = (Rule("probe", 4, probe_rule, batch=Graph.in_parallel), Rule("image", 5, image_rule), Rule("image-check", 6, check_rule),
         Rule("logo-check", 6, check_logos))
