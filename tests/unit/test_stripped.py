"""Pictures published under their own bytes lose their metadata and nothing else: pixels, frames, loops, orientation stay."""

from __future__ import annotations

import io

import pytest
from pictures import XMP, photo
from PIL import Image, ImageChops, ImageSequence

from sitegen.publish.stripped import without_metadata


def frames(data: bytes) -> list[bytes]:
    """The pixels of every frame, as RGBA bytes."""
    with Image.open(io.BytesIO(data)) as image:
        return [frame.convert("RGBA").tobytes() for frame in ImageSequence.Iterator(image)]


def animation(fmt: str, **options) -> bytes:
    """A two-frame animation in this format, with a comment or metadata as given."""
    images = [Image.new("RGB", (40, 30), colour) for colour in ("#0b4f6c", "#f2b134")]
    out = io.BytesIO()
    images[0].save(out, format=fmt, save_all=True, append_images=images[1:], duration=200, loop=0, **options)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_cameras_metadata_goes_and_the_pixels_stay(fmt):
    """GPS, the camera's name, XMP and text chunks are gone; every pixel is the same."""
    data = photo(120, 80, fmt, camera=True)
    stripped = without_metadata(data)
    with Image.open(io.BytesIO(stripped)) as image:
        assert not image.getexif() and not image.info.get("xmp") and "Author" not in image.info
        assert "XML:com.adobe.xmp" not in image.info and XMP not in stripped
    assert b"PhoneMaker" in data and b"PhoneMaker" not in stripped
    assert frames(stripped) == frames(data)


def test_a_jpeg_keeps_its_orientation_alone():
    """Orientation 6 (turned a quarter): the only EXIF left, so the photo is shown the same way up."""
    stripped = without_metadata(photo(120, 80, "JPEG", orientation=6, camera=True))
    with Image.open(io.BytesIO(stripped)) as image:
        assert dict(image.getexif()) == {0x0112: 6}
    assert b"PhoneMaker" not in stripped


@pytest.mark.parametrize(("fmt", "options"), [
    ("GIF", {"comment": b"Shot by Jane Doe at 43.29N 5.40E"}),
    ("WEBP", {"exif": b"Exif\0\0II*\0\x08\0\0\0\0\0", "xmp": XMP}),
    ("PNG", {}),
])
def test_an_animation_keeps_its_frames_and_loop(fmt, options):
    """Both frames, the loop and the timing stay; the comment, EXIF and XMP go."""
    data = animation(fmt, **options)
    stripped = without_metadata(data)
    with Image.open(io.BytesIO(stripped)) as image:
        assert image.n_frames == 2 and image.info.get("loop") == 0
        assert "comment" not in image.info and not image.info.get("xmp") and not image.info.get("exif")
    assert frames(stripped) == frames(data)
    assert b"Jane Doe" not in stripped


@pytest.mark.parametrize("data", [b"not a picture", photo(60, 40, "JPEG")[:200], photo(60, 40, "PNG")[:30], b"GIF89a\x01"])
def test_bytes_that_cannot_be_walked_are_left_as_they_are(data):
    """Text, or a truncated file: returned unchanged (the probe of pictures says what is wrong)."""
    assert without_metadata(data) == data


def test_a_picture_without_metadata_is_unchanged():
    """Nothing to take out: the same bytes."""
    image = io.BytesIO()
    Image.new("RGB", (10, 10), "#fff").save(image, format="PNG")
    assert without_metadata(image.getvalue()) == image.getvalue()
    assert ImageChops.difference(Image.open(io.BytesIO(without_metadata(image.getvalue()))).convert("RGB"), Image.new("RGB", (10, 10), "#fff")).getbbox() is None
