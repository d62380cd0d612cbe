"""Pictures an editor may get wrong (issue 20, point 4), each with its pinned outcome.

Too large (pixels or bytes, limits from config.yaml), a decompression bomb, truncated, not a picture, an
extension that lies, missing, linked from outside the site: refused, with an error at each Markdown line that names the
picture (on the file itself when none does). Alt text that says nothing: built, with a warning at its line.
"""

from __future__ import annotations

import struct
import zlib

import pytest
from pictures import photo
from support import edit

from .conftest import article, assert_outcome, build_checked, built, refused, write

PICS = "content/news/pics"
PAGE = "news/pics/index.html"
BODY = "![A bench in the lab](bench.jpg)\n"
EXPORT = "open it in an image editor and export it again as JPEG or PNG"
RESIZE = "resize it to at most 4000 pixels across, or raise images.max_pixels in config.yaml"


def bomb_png(width: int, height: int) -> bytes:
    """A small PNG whose header claims a huge size (a decompression bomb: its pixels would fill the memory)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1024)) + chunk(b"IEND", b"")


def limits(site, setting: str) -> None:
    """Add an images setting to config.yaml."""
    edit(site / "config.yaml", "output: public\n", f"output: public\nimages: {{{setting}}}\n")


def case(site, bench: bytes | str, body: str = BODY, setting: str = "", name: str = "bench.jpg") -> None:
    """An article bundle showing a picture (bench.jpg), with these bytes."""
    write(site, f"{PICS}/index.md", article(body))
    write(site, f"{PICS}/{name}", bench)
    if setting:
        limits(site, setting)


JPEG = photo(1200, 1000)
CASES = [
    pytest.param(dict(bench=JPEG, setting="max_pixels: 1000000"),
                 refused(f"{PICS}/index.md:5: error: bench.jpg: the image is 1200×1000 pixels, more than the 1,000,000 allowed (images.max_pixels) ({RESIZE})"),
                 id="too-many-pixels"),
    pytest.param(dict(bench=JPEG, setting="max_bytes: 2000"),
                 refused(f"{PICS}/index.md:5: error: bench.jpg: the image is {len(JPEG) / 1e3:.0f} kB, more than the 2 kB allowed (images.max_bytes) "
                         "(export it again smaller (a photo needs no more than 4000 pixels across), or raise images.max_bytes in config.yaml)"),
                 id="too-many-bytes"),
    pytest.param(dict(bench=JPEG[: len(JPEG) // 2]),
                 refused(f"{PICS}/index.md:5: error: bench.jpg: the image is truncated or damaged (copy it again from the original, or export it again)"),
                 id="truncated"),
    pytest.param(dict(bench=photo(60, 40, "PNG")),
                 refused(f"{PICS}/index.md:5: error: bench.jpg: the image is a PNG file, not the JPEG its extension '.jpg' says (rename it with the extension '.png')"),
                 id="lying-extension"),
    pytest.param(dict(bench="Not a picture at all.\n"),
                 refused(f"{PICS}/index.md:5: error: bench.jpg: the file is not a picture the build can read (JPEG, PNG, WebP, GIF or SVG) ({EXPORT})"),
                 id="not-a-picture"),
    pytest.param(dict(bench=JPEG, body="![A bench in the lab](bench.heic)\n", name="bench.heic"),
                 refused(f"{PICS}/index.md:5: error: bench.heic: the image is a HEIC file, which browsers do not show (and which keeps the camera's data) "
                         "(export it as JPEG (a photo) or PNG (a drawing, a screenshot))"),
                 id="iphone-heic"),
    pytest.param(dict(bench=JPEG, body="![A bench in the lab](bench.jpg)\n\n![A stool](stool.jpg)\n"),
                 refused(f"{PICS}/index.md:7: error: broken link 'stool.jpg' on /{PAGE}: no page or file at that address "
                         "(fix the address, or create the page it points to)"),
                 id="missing"),
    pytest.param(dict(bench=JPEG, body="![](bench.jpg)\n"),
                 refused(f"{PICS}/index.md:5: error: image 'bench.jpg' has no alt text (describe the image: ![what it shows](file.jpg))"),
                 id="empty-alt-by-omission"),
    pytest.param(dict(bench=JPEG, body="![](bench.jpg){: role=presentation }\n"),
                 built(PAGE, 'alt="" role="presentation" width="1200" height="1000" fetchpriority="high"'), id="decorative-said-explicitly"),
    pytest.param(dict(bench=JPEG, body="Text.\n\n![IMG_4032.JPG](bench.jpg)\n"),
                 built(PAGE, 'alt="IMG_4032.JPG"', warnings=(f"{PICS}/index.md:7: warning: the alt text 'IMG_4032.JPG' is a file name "
                                                             "(describe what the picture shows, for readers who cannot see it)",)),
                 id="alt-file-name"),
    pytest.param(dict(bench=JPEG, body="![Image of a bench in the lab](bench.jpg)\n"),
                 built(PAGE, 'alt="Image of a bench in the lab"', warnings=(f"{PICS}/index.md:5: warning: the alt text 'Image of a bench in the lab' "
                                                                            "starts with 'Image of' (screen readers already say it is an image: say what it shows)",)),
                 id="alt-image-of"),
]


@pytest.mark.parametrize(("files", "outcome"), CASES)
def test_pictures(built_site, files, outcome):
    case(built_site, **files)
    assert_outcome(build_checked(built_site), built_site, outcome)


def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded(built_site):
    """A 100 kB-pixel file claiming 50,000×50,000 pixels: refused from its header, well within the test's time and memory."""
    case(built_site, b"")
    (built_site / f"{PICS}/bench.jpg").unlink()
    write(built_site, f"{PICS}/index.md", article("![A bench in the lab](bench.png)\n"))
    write(built_site, f"{PICS}/bench.png", bomb_png(50_000, 50_000))
    assert_outcome(build_checked(built_site), built_site, refused(
        f"{PICS}/index.md:5: error: bench.png: the image has more than twice the 40,000,000 pixels allowed (images.max_pixels) ({RESIZE})"))


TRUNCATED = "the image is truncated or damaged (copy it again from the original, or export it again)"


def test_a_damaged_picture_is_reported_where_each_language_names_it(built_site):
    """The English body and the French front matter both name it: one error at each line."""
    write(built_site, f"{PICS}/index.md", article(BODY))
    write(built_site, f"{PICS}/index.fr.md", article("Texte.\n", extra="image: bench.jpg\nimage_alt: Un banc\n"))
    write(built_site, f"{PICS}/bench.jpg", JPEG[: len(JPEG) // 2])
    assert_outcome(build_checked(built_site), built_site, refused(
        f"{PICS}/index.fr.md:4: error: bench.jpg: {TRUNCATED}", f"{PICS}/index.md:5: error: bench.jpg: {TRUNCATED}"))


def test_a_damaged_picture_no_page_names_is_reported_on_the_file(built_site):
    """A file of the bundle that no Markdown names is still published beside the page: refused on the file itself."""
    write(built_site, f"{PICS}/index.md", article("Text.\n"))
    write(built_site, f"{PICS}/spare.jpg", JPEG[: len(JPEG) // 2])
    assert_outcome(build_checked(built_site), built_site, refused(f"{PICS}/spare.jpg: error: {TRUNCATED}"))


def test_a_damaged_picture_of_static_is_reported_at_the_line_that_shows_it(built_site):
    """/images/x.jpg from static/: the page's line, since static files are published whether pages show them or not."""
    write(built_site, "static/images/broken.jpg", JPEG[: len(JPEG) // 2])
    write(built_site, f"{PICS}/index.md", article("Text.\n\n![A broken bench](/images/broken.jpg)\n"))
    assert_outcome(build_checked(built_site), built_site, refused(f"{PICS}/index.md:7: error: /images/broken.jpg: {TRUNCATED}"))


def test_a_front_matter_image_alt_that_is_a_file_name_is_a_warning_at_its_line(built_site):
    write(built_site, f"{PICS}/index.md", article("Text.\n", extra='image: bench.jpg\nimage_alt: "bench.jpg"\n'))
    write(built_site, f"{PICS}/bench.jpg", JPEG)
    assert_outcome(build_checked(built_site), built_site, built(PAGE, 'fetchpriority="high"', warnings=(
        f"{PICS}/index.md:5: warning: the alt text 'bench.jpg' is a file name (describe what the picture shows, for readers who cannot see it)",)))


def test_a_picture_linked_from_outside_the_site_is_refused(built_site):
    """A symlink to a picture outside the site is never read."""
    outside = built_site.parent.parent / "outside" / "bench.jpg"
    outside.write_bytes(JPEG)
    write(built_site, f"{PICS}/index.md", article(BODY))
    (built_site / f"{PICS}/bench.jpg").symlink_to(outside)
    assert_outcome(build_checked(built_site), built_site, refused(
        f"{PICS}/bench.jpg: error: this link points outside the site's folder (copy the file in instead of linking to it)",
        f"{PICS}/index.md:5: error: broken link 'bench.jpg' on /{PAGE}: no page or file at that address (fix the address, or create the page it points to)"))


FOCUS = "must be [x, y], two numbers from 0 (left, top) to 1 (right, bottom), like [0.5, 0.3]; got"


@pytest.mark.parametrize(("focus", "line"), [
    ("[1.5, 0.5]", f"{PICS}/index.md:6: error: 'image_focus' {FOCUS} [1.5, 0.5]"),
    ("[0.5]", f"{PICS}/index.md:6: error: 'image_focus' {FOCUS} [0.5]"),
    ("top", f"{PICS}/index.md:6: error: 'image_focus' {FOCUS} 'top'"),
])
def test_a_focus_outside_the_picture_is_refused_at_its_line(built_site, focus, line):
    write(built_site, f"{PICS}/index.md", article("Text.\n", extra=f'image: bench.jpg\nimage_alt: "A bench"\nimage_focus: {focus}\n'))
    write(built_site, f"{PICS}/bench.jpg", JPEG)
    assert_outcome(build_checked(built_site), built_site, refused(line))
