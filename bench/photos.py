"""The photos row of the benchmark: N article bundles, each with one camera-sized photo (its lead image and in its body).

It measures, each once in a subprocess: the cold build of the site without the photos and with them
(the difference, divided by N, is each photo's cost: its probe, its copies in every width and format,
and its link preview), a no-change rebuild, a rebuild after one photo is replaced, and a build with the graph
removed but .cache/images/ kept (another engine's first build). The photos are
one generated JPEG with a comment of its own in each bundle: the same pixels, but other bytes, so that
the build encodes each one (it keeps the copies of equal bytes once, in .cache/images/); the edited
photo is a new one.

    .venv/bin/python bench/photos.py --photos 500 --size 4000x3000 --jobs 2
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
from pathlib import Path

from PIL import Image

from bench import OUT, TRASH_CAN, Runner, compile_engine

REPO = Path(__file__).resolve().parent.parent


def copy_site(engine: Path, site: Path) -> None:
    """The repository's own site (settings, pages, articles, templates, static files), around which the photos go."""
    site.mkdir(parents=True)
    shutil.copy2(engine / "config.yaml", site / "config.yaml")
    for name in ("content", "templates", "static"):
        shutil.copytree(engine / name, site / name)


def camera_photo(width: int, height: int, seed: int) -> bytes:
    """A JPEG of that size with a photo's texture (smoothed noise, which compresses like a photo), as a camera saves it."""
    grain = Image.effect_noise((max(1, width // 8), max(1, height // 8)), 40 + seed % 20).convert("RGB")
    image = grain.resize((width, height), Image.Resampling.BICUBIC)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def add_photos(site: Path, n: int, photo: bytes) -> None:
    """N article bundles, each showing its photo as its lead image and in its body."""
    news = site / "content" / "news"
    for i in range(n):
        bundle = news / f"photo-{i:04d}"
        bundle.mkdir()
        (bundle / "index.md").write_text(
            f'---\ntitle: "Photo {i}"\ndate: 2024-03-{1 + i % 28:02d}\nimage: photo.jpg\nimage_alt: "A lab bench, view {i}"\n---\n'
            f"The bench, seen from the door.\n\n![A lab bench, view {i}](photo.jpg)\n", encoding="utf-8")
        (bundle / "photo.jpg").write_bytes(with_comment(photo, f"bundle {i}"))


def with_comment(jpeg: bytes, text: str) -> bytes:
    """A JPEG with a comment segment (COM) after its start marker: the same picture in other bytes."""
    comment = text.encode()
    return jpeg[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + jpeg[2:]


def bench_photos(n: int, width: int, height: int, run: Runner, base: Path) -> dict:
    """Every measurement of the photos row."""
    site, public = base / "site", base / "public"
    copy_site(run.engine, site)
    plain = run.cold(site, public, "photos-none")
    photo = camera_photo(width, height, 0)
    add_photos(site, n, photo)
    cold = run.cold(site, public, "photos-cold")
    unchanged = run.rebuild(site, public, "photos-no-change")
    edited = site / "content" / "news" / "photo-0000" / "photo.jpg"
    edited.unlink()
    edited.write_bytes(camera_photo(width, height, 1))
    one = run.rebuild(site, public, "photos-one-edit")
    for graph in (site / ".cache").glob("graph-*"):  # what another engine's first build meets: no graph, the copies kept
        TRASH_CAN.discard(graph)
    kept = run.rebuild(site, public, "photos-new-graph")
    return {"photos": n, "size": f"{width}×{height}", "photo_bytes": len(photo), "without_photos": plain, "cold": cold,
            "no-change": unchanged, "one photo replaced": one, "new graph, copies kept": kept,
            "per_photo_seconds": (cold["seconds"] - plain["seconds"]) / n, "per_photo_cpu": (cold["cpu_seconds"] - plain["cpu_seconds"]) / n}


def row(result: dict) -> str:
    """The Markdown table of the photos row."""
    lines = [f"| photos: {result['photos']} of {result['size']} ({result['photo_bytes'] / 1e6:.1f} MB) | wall | CPU | files written |",
             "|---|---|---|---|"]
    for name in ("without_photos", "cold", "no-change", "one photo replaced", "new graph, copies kept"):
        m = result[name]
        lines.append(f"| {name.replace('_', ' ')} | {m['seconds']:.2f} s | {m['cpu_seconds']:.1f} s | {m.get('files_touched', '')} |")
    lines.append(f"| each photo (cold with − without, ÷ N) | {result['per_photo_seconds']:.2f} s | {result['per_photo_cpu']:.2f} s | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line: photos.py --photos 500 --size 4000x3000 --jobs N."""
    parser = argparse.ArgumentParser(description="Benchmark the build of a site with many photos.")
    parser.add_argument("--photos", type=int, default=500, help="article bundles, one photo each")
    parser.add_argument("--size", default="4000x3000", help="the photos' size, WIDTHxHEIGHT")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for the build")
    parser.add_argument("--engine", type=lambda p: Path(p).resolve(), default=REPO, help="the checkout to benchmark (default: this one)")
    args = parser.parse_args(argv)
    width, height = (int(part) for part in args.size.lower().split("x"))
    base = OUT / f"photos{args.photos}"
    TRASH_CAN.discard(base)
    compile_engine(args.engine)
    try:
        result = bench_photos(args.photos, width, height, Runner(args.engine, args.jobs, base / "logs"), base)
    finally:
        TRASH_CAN.discard(base)
        TRASH_CAN.empty()
    print(row(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
