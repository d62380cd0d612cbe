"""Pictures published under their own bytes, their metadata taken out: nothing else of the file changes.

The files the build does not encode again (the design's images in static/, GIF files, animated
WebP and PNG) keep their pixels byte for byte; what a camera or an editing program wrote beside
them goes: EXIF (with its GPS position), XMP, IPTC, comments and text chunks. A JPEG's colour
profile (APP2) and Adobe colour marker (APP14) stay, being part of how its colours are read, and
its orientation stays, alone in an EXIF block of its own, being part of which way up it is shown. The
kind is read from the bytes, never from the name; bytes of another kind, or that cannot be walked
to their end, are returned as they are (the probe of pictures reports what is wrong with them).
"""

from __future__ import annotations

import struct

_JPEG_DROP = {0xE1, 0xED, 0xFE}  # APP1 (EXIF, XMP), APP13 (IPTC, Photoshop), COM
_PNG_DROP = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
_WEBP_DROP = {b"EXIF", b"XMP "}
_GIF_KEEP = (b"NETSCAPE2.0", b"ANIMEXTS1.0")  # application extensions that say how an animation loops
_VP8X_EXIF, _VP8X_XMP = 0x08, 0x04


def without_metadata(data: bytes) -> bytes:
    """A picture's bytes without its metadata (other files, and files that cannot be walked, as they are)."""
    for magic, strip in ((b"\xff\xd8\xff", _jpeg), (b"\x89PNG\r\n\x1a\n", _png), (b"GIF87a", _gif), (b"GIF89a", _gif)):
        if data.startswith(magic):
            return _safely(strip, data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _safely(_webp, data)
    return data


def _safely(strip, data: bytes) -> bytes:
    """The stripped bytes, or the bytes as they are when their structure cannot be walked."""
    try:
        return strip(data)
    except (IndexError, struct.error, ValueError):
        return data


def _jpeg(data: bytes) -> bytes:
    """A JPEG without its APP1, APP13 and comment segments (everything from the first scan on is kept)."""
    out, pos = [data[:2]], 2
    while True:
        if data[pos] != 0xFF:
            raise ValueError("not a marker")
        marker = data[pos + 1]
        if marker == 0xDA or 0xD0 <= marker <= 0xD9:  # start of scan (or a marker without length): the rest is image data
            out.append(data[pos:])
            return b"".join(out)
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        end = pos + 2 + length
        if end > len(data):
            raise ValueError("segment past the end")
        if marker not in _JPEG_DROP:
            out.append(data[pos:end])
        elif marker == 0xE1 and (turned := _orientation(data[pos + 4:end])) not in (None, 1):
            out.append(_orientation_only(turned))
        pos = end


def _orientation(segment: bytes) -> int | None:
    """The orientation an APP1 EXIF segment gives (tag 0x0112 of its first image directory), if any."""
    if not segment.startswith(b"Exif\0\0"):
        return None
    tiff = segment[6:]
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None:
        return None
    first = struct.unpack(order + "I", tiff[4:8])[0]
    count = struct.unpack(order + "H", tiff[first:first + 2])[0]
    for i in range(count):
        entry = tiff[first + 2 + 12 * i:first + 14 + 12 * i]
        if struct.unpack(order + "H", entry[:2])[0] == 0x0112:
            return struct.unpack(order + "H", entry[8:10])[0]
    return None


def _orientation_only(orientation: int) -> bytes:
    """An APP1 segment whose EXIF holds the orientation and nothing else."""
    tiff = b"II*\0" + struct.pack("<I", 8) + struct.pack("<H", 1) + struct.pack("<HHIHH", 0x0112, 3, 1, orientation, 0) + b"\0\0\0\0"
    body = b"Exif\0\0" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def _png(data: bytes) -> bytes:
    """A PNG (animated or not) without its text, EXIF and time chunks."""
    out, pos = [data[:8]], 8
    while pos < len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        kind = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise ValueError("chunk past the end")
        if kind not in _PNG_DROP:
            out.append(data[pos:end])
        pos = end
        if kind == b"IEND":
            break
    return b"".join(out)


def _gif(data: bytes) -> bytes:
    """A GIF (animated or not) without its comments and application extensions but the looping one."""
    flags = data[10]
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)  # after the screen descriptor and its colour table
    out = [data[:pos]]
    while True:
        block = data[pos]
        if block == 0x3B:  # trailer
            out.append(data[pos:pos + 1])
            return b"".join(out)
        if block == 0x2C:  # an image: its descriptor, local colour table, LZW size, then sub-blocks
            local = data[pos + 9]
            start, pos = pos, pos + 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0) + 1
            pos = _sub_blocks_end(data, pos)
            out.append(data[start:pos])
        elif block == 0x21:
            label, start = data[pos + 1], pos
            pos = _sub_blocks_end(data, pos + 2)
            application = data[start + 3:start + 14] if label == 0xFF else b""
            if label != 0xFE and (label != 0xFF or application in _GIF_KEEP):
                out.append(data[start:pos])
        else:
            raise ValueError("unknown block")


def _sub_blocks_end(data: bytes, pos: int) -> int:
    """Where a run of GIF sub-blocks ends (after its zero-length terminator)."""
    while True:
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos


def _webp(data: bytes) -> bytes:
    """A WebP (animated or not) without its EXIF and XMP chunks, its VP8X flags and RIFF size set to match."""
    chunks, pos = [], 12
    while pos < len(data):
        kind = data[pos:pos + 4]
        size = struct.unpack("<I", data[pos + 4:pos + 8])[0]
        end = pos + 8 + size + (size & 1)
        if pos + 8 + size > len(data):
            raise ValueError("chunk past the end")
        if kind == b"VP8X":
            flags = data[pos + 8] & ~(_VP8X_EXIF | _VP8X_XMP)
            chunks.append(data[pos:pos + 8] + bytes([flags]) + data[pos + 9:end])
        elif kind not in _WEBP_DROP:
            chunks.append(data[pos:end])
        pos = end
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body
