"""Pictures for tests, made with Pillow: photos of a given size and format, with the metadata a camera writes."""

from __future__ import annotations

import io

from PIL import Image
from PIL.PngImagePlugin import PngInfo

GPS = {2: (43.0, 17.0, 30.0), 1: "N", 4: (5.0, 24.0, 10.0), 3: "E"}  # latitude and longitude, as a phone writes them
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description creator="Jane Doe"/></rdf:RDF></x:xmpmeta>'


def photo(width: int, height: int, fmt: str = "JPEG", orientation: int | None = None, camera: bool = False) -> bytes:
    """An image of this size in this format: a gradient (so copies differ by width), with EXIF GPS, a camera name and XMP when `camera`."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if camera:
        exif[0x010F], exif[0x0110] = "PhoneMaker", "Phone 12"
        exif[0x8825] = GPS
    options = {"exif": exif.tobytes()} if len(exif) else {}
    if camera and fmt in ("JPEG", "WEBP"):
        options["xmp"] = XMP
    if camera and fmt == "PNG":
        options["pnginfo"] = PngInfo()
        options["pnginfo"].add_itxt("XML:com.adobe.xmp", XMP.decode())
        options["pnginfo"].add_text("Author", "Jane Doe")
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def opened(data: bytes) -> Image.Image:
    """A published image opened with Pillow (its pixels loaded)."""
    image = Image.open(io.BytesIO(data))
    image.load()
    return image
