"""Pictures without a build: probing a file, the widths and names of its copies, a preview's crop, alt texts that say nothing."""

import io

import pytest
from pictures import opened, photo
from PIL import Image

from sitegen.checks.alt_text import alt_problem
from sitegen.model.config import Images
from sitegen.model.images import Picture, Refusal, probe, svg_size
from sitegen.publish.derivatives import copy_name, encode, widths_of
from sitegen.publish.previews import focus_box, wrap


@pytest.mark.parametrize(("data", "size"), [
    (b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60px">', (120, 60)),
    (b'<?xml version="1.0"?>\n<svg viewBox="0 0 300.4 150" width="100%">', (300, 150)),
    (b"<svg viewBox='0,0,24,24'>", (24, 24)),
])
def test_an_svg_gives_its_size_from_its_root_tag(data, size):
    assert svg_size(data) == Picture(*size, "SVG")


@pytest.mark.parametrize("data", [b"<svg>", b'<svg width="50%" height="2em">', b"<html><body>no svg</body></html>"])
def test_an_svg_without_a_size_or_not_an_svg_is_refused(data):
    assert isinstance(svg_size(data), Refusal)


def test_probe_turns_the_size_by_the_orientation_tag():
    assert probe(photo(300, 100, orientation=6), ".jpg", Images()) == Picture(100, 300, "JPEG")
    assert probe(photo(300, 100, orientation=3), ".jpeg", Images()) == Picture(300, 100, "JPEG")


def test_probe_checks_the_pixels_before_decoding():
    assert probe(photo(300, 100), ".jpg", Images(max_pixels=29_999)) == Refusal(
        "the image is 300×100 pixels, more than the 29,999 allowed (images.max_pixels)",
        "resize it to at most 4000 pixels across, or raise images.max_pixels in config.yaml")


@pytest.mark.parametrize(("width", "widths"), [(2000, (480, 960, 1600)), (1000, (480, 960, 1000)), (700, (480, 700)),
                                               (480, (480,)), (200, (200,))])
def test_copies_are_never_wider_than_the_photo(width, widths):
    assert widths_of(Picture(width, 100, "JPEG"), Images()) == widths


def test_copy_names():
    assert [copy_name("photo.jpeg", 480, "WEBP"), copy_name("a.b.png", 960, "PNG"), copy_name("x.JPG", 1600, "JPEG")] == [
        "photo.480.webp", "a.b.960.png", "x.1600.jpg"]


def test_an_encoded_copy_is_upright_and_keeps_no_metadata():
    copy = opened(encode(photo(800, 400, orientation=8, camera=True), 200, "JPEG", Images()))
    assert (copy.size, len(copy.getexif()), "xmp" in copy.info) == ((200, 400), 0, False)


@pytest.mark.parametrize(("size", "focus", "box"), [
    ((2400, 1260), (0.5, 0.5), (0, 0, 2400, 1260)),  # already 1200:630
    ((1000, 2000), (0.5, 0.5), (0, 738, 1000, 1263)),  # a portrait: the middle band
    ((1000, 2000), (0.5, 0.0), (0, 0, 1000, 525)),  # the top, as far as the edge allows
    ((1000, 2000), (0.5, 1.0), (0, 1475, 1000, 2000)),
    ((4000, 1000), (0.9, 0.5), (2095, 0, 4000, 1000)),  # a panorama: the right part
])
def test_the_preview_box_is_centred_on_the_focus_within_the_edges(size, focus, box):
    assert focus_box(size, focus) == box


def test_a_long_title_is_wrapped_and_cut():
    from PIL import ImageFont

    font = ImageFont.load_default(20)
    lines = wrap("word " * 200, font, 300, 3)
    assert len(lines) == 3 and lines[-1].endswith("…") and all(font.getlength(line) <= 300 for line in lines)


@pytest.mark.parametrize(("alt", "message"), [
    ("IMG_4032.JPG", "the alt text 'IMG_4032.JPG' is a file name"),
    ("DSC 0012", "the alt text 'DSC 0012' is a file name"),
    ("Image of the lab", "the alt text 'Image of the lab' starts with 'Image of'"),
    ("A photo of the team", "the alt text 'A photo of the team' starts with 'A photo of'"),
    ("Une photo de l'équipe", "the alt text 'Une photo de l'équipe' starts with 'Une photo de'"),
    ("The team at the photo booth", None),
    ("Image de marque du biocluster", None),
    ("Pipettes on a bench", None),
])
def test_alt_text_that_says_nothing(alt, message):
    found = alt_problem(alt)
    assert (found[0] if found else None) == message


def _png(image: Image.Image, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", **options)
    return out.getvalue()


def test_a_16_bit_grey_png_keeps_its_greys():
    copy = opened(encode(_png(Image.new("I;16", (600, 400), 30000)), 480, "PNG", Images()))
    assert (copy.mode, copy.getpixel((5, 5))) == ("L", 117)  # 30000 of 65535


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_a_transparent_palette_colour_stays_transparent(fmt):
    image = Image.new("RGB", (600, 400), (200, 10, 10))
    image.paste((10, 200, 10), (0, 0, 300, 400))
    palette = image.quantize(2)
    copy = opened(encode(_png(palette, transparency=palette.getpixel((5, 5))), 480, fmt, Images()))
    assert copy.getpixel((5, 5))[3] == 0 and copy.getpixel((470, 5))[3] == 255
