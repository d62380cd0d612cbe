"""Pictures as readers get them: sized, lazy below the lead, in a few widths and modern formats, without camera metadata."""

from __future__ import annotations

import pytest
from pictures import opened, photo
from support import build, cold_copy, load_cli, make_site, tree

load_cli()
from sitegen.graph import inputs  # noqa: E402 - after load_cli put the repository on sys.path
from sitegen.publish.derivatives import modern_formats  # noqa: E402

SIZES = "(min-width: 48rem) 44rem, calc(100vw - 2rem)"
ARTICLE = """---
title: "Bench day"
date: 2024-02-10
image: bench.jpg
image_alt: "A lab bench"
image_credit: "© Jane Doe / MIB"
---
The lab opened.

![Pipettes on the bench](pipettes.jpg)

![A plan of the lab](plan.svg)
"""
PLAN = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 60"><rect width="120" height="60" fill="#0b4f6c"/></svg>'


@pytest.fixture(autouse=True)
def _settled(monkeypatch):
    """Files written a moment ago count as settled: the listing alone must show every change."""
    monkeypatch.setattr(inputs, "RACY_NS", 0)


def bench_site(tmp_path, **extra):
    """The sample site with an article bundle holding a wide photo, a narrow one (700 pixels) and an SVG plan."""
    return make_site(tmp_path, {"content/news/bench-day/index.md": ARTICLE,
                                "content/news/bench-day/bench.jpg": photo(2000, 1000, camera=True),
                                "content/news/bench-day/pipettes.jpg": photo(700, 500, orientation=1),
                                "content/news/bench-day/plan.svg": PLAN, **extra})


def sources(name: str, widths: list[int]) -> str:
    """The <source> elements of a photo of the bench-day bundle, one per modern format."""
    found = ""
    for fmt in modern_formats():
        srcset = ", ".join(f"/news/bench-day/{name}.{w}.{fmt.lower()} {w}w" for w in widths)
        found += f'<source type="image/{fmt.lower()}" srcset="{srcset}" sizes="{SIZES}">'
    return found


def test_photos_are_pictures_in_a_few_widths_and_formats(tmp_path):
    """A body photo: <picture> with AVIF/WebP sources, a JPEG fallback, its size, lazy; never wider than the original."""
    site = bench_site(tmp_path)
    build(site)
    page = (site / "public/news/bench-day/index.html").read_text()
    assert ("<p><picture>" + sources("pipettes", [480, 700])
            + f'<img src="pipettes.jpg" srcset="/news/bench-day/pipettes.480.jpg 480w, pipettes.jpg 700w" sizes="{SIZES}" '
            'alt="Pipettes on the bench" width="700" height="500" loading="lazy" decoding="async"></picture></p>') in page
    published = sorted(path.name for path in (site / "public/news/bench-day").iterdir())
    copies = [f"pipettes.{w}.{fmt.lower()}" for w in (480, 700) for fmt in modern_formats()] + ["pipettes.480.jpg", "pipettes.jpg"]
    assert set(copies) <= set(published)
    assert not any(name.startswith("pipettes.960") for name in published)
    for name, size, fmt in (("pipettes.480.webp", (480, 343), "WEBP"), ("pipettes.jpg", (700, 500), "JPEG"),
                            ("bench.960.jpg", (960, 480), "JPEG"), ("bench.jpg", (1600, 800), "JPEG")):
        image = opened((site / "public/news/bench-day" / name).read_bytes())
        assert (image.size, image.format) == (size, fmt), name


def test_the_lead_image_is_loaded_at_once_with_its_credit(tmp_path):
    """The front matter image leads the article: not lazy, high priority, its credit as the caption."""
    site = bench_site(tmp_path)
    build(site)
    page = (site / "public/news/bench-day/index.html").read_text()
    assert ('<figure class="lead-image"><picture>' + sources("bench", [480, 960, 1600])
            + '<img src="bench.jpg" srcset="/news/bench-day/bench.480.jpg 480w, /news/bench-day/bench.960.jpg 960w, bench.jpg 1600w" '
            f'sizes="{SIZES}" alt="A lab bench" width="1600" height="800" fetchpriority="high"></picture>'
            "<figcaption>© Jane Doe / MIB</figcaption></figure>") in page


def test_an_svg_is_published_untouched_with_its_size(tmp_path):
    """An SVG keeps its bytes and gets the size its viewBox gives, lazy."""
    site = bench_site(tmp_path)
    build(site)
    page = (site / "public/news/bench-day/index.html").read_text()
    assert '<img src="plan.svg" alt="A plan of the lab" width="120" height="60" loading="lazy" decoding="async">' in page
    assert (site / "public/news/bench-day/plan.svg").read_text() == PLAN


def test_a_translation_shows_the_copies_of_its_original(tmp_path):
    """The French version's photos come from the copies beside the English page; the fallback is beside each version."""
    site = bench_site(tmp_path, **{"content/news/bench-day/index.fr.md": ARTICLE.replace("Bench day", "Jour du banc")})
    build(site)
    page = (site / "public/fr/actualites/jour-du-banc/index.html").read_text()
    assert sources("pipettes", [480, 700]) in page and '<img src="pipettes.jpg"' in page
    assert (site / "public/fr/actualites/jour-du-banc/pipettes.jpg").is_file()
    assert not list((site / "public/fr/actualites/jour-du-banc").glob("pipettes.480.*"))


def test_a_text_edit_makes_no_image_again_and_a_photo_edit_only_its_copies(tmp_path):
    """Copies are made once per photo's bytes: an edit of the text encodes nothing; a new photo makes only its own copies."""
    site = bench_site(tmp_path)
    build(site)
    (site / "content/news/bench-day/index.md").write_text(ARTICLE.replace("The lab opened.", "The lab opened today."))
    made = build(site).computed
    assert ("out", "news/bench-day/index.html", "article", "content/news/bench-day/index.md") in made
    assert not [key for key in made if key[0] == "image" or (key[0] == "out" and key[2] == "image")]
    (site / "content/news/bench-day/pipettes.jpg").write_bytes(photo(700, 500, orientation=3))
    made = build(site).computed
    assert {key[3] for key in made if key[0] == "out" and key[2] == "image"} == {"content/news/bench-day/pipettes.jpg"}
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_published_photos_carry_no_camera_metadata_and_stand_upright(tmp_path):
    """A phone's photo (EXIF with GPS, XMP, turned by its orientation tag): every published copy is upright and has no metadata."""
    site = make_site(tmp_path, {"content/news/phone/index.md": "---\ntitle: Phone\ndate: 2024-02-11\n---\n![A rotated bench](turned.jpg)\n\n![A plot](plot.png)\n",
                                "content/news/phone/turned.jpg": photo(800, 400, orientation=6, camera=True),
                                "content/news/phone/plot.png": photo(300, 200, "PNG", camera=True)})
    build(site)
    folder = site / "public/news/phone"
    published = sorted(path.name for path in folder.iterdir() if path.name != "index.html")
    assert published == sorted([f"{name}.{fmt.lower()}" for name in ("plot.300", "turned.400") for fmt in modern_formats()] + ["plot.png", "turned.jpg"])
    for name in published:
        image = opened((folder / name).read_bytes())
        assert len(image.getexif()) == 0, name
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "Author", "comment"} & set(image.info), (name, sorted(image.info))
        assert image.width < image.height if name.startswith("turned") else image.width > image.height, name
    assert 'alt="A rotated bench" width="400" height="800"' in (folder / "index.html").read_text()
