"""Pictures as readers get them: sized, lazy below the lead, in a few widths and modern formats, without camera metadata."""

from __future__ import annotations

import html
import io
import re

import pytest
from pictures import opened, photo
from PIL import Image, ImageStat
from support import bare_copy, build, cold_copy, copy_built, edit, load_cli, make_site, run_cli, tree

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


FRENCH = {"content/news/bench-day/index.fr.md": ARTICLE.replace("Bench day", "Jour du banc")}
NO_CARDS = ("output: public\n", "output: public\nimages: {cards: false}\n")  # the edit of config.yaml that turns cards off


def bench_built(tmp_path_factory, edits=(), **extra):
    """bench_site(**extra) with config.yaml edited by `edits` ((old, new) pairs), built once (its files settled, as
    _settled has them). Its tests read its output, or build on a copy_built() of it: each photo is encoded once a module
    (a cold build of the bench site takes 2-3 s, most of it making the copies)."""
    site = bench_site(tmp_path_factory.mktemp("bench"), **extra)
    for old, new in edits:
        edit(site / "config.yaml", old, new)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(inputs, "RACY_NS", 0)
        build(site)
    return site


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    """The bench site, built."""
    return bench_built(tmp_path_factory)


@pytest.fixture(scope="module")
def bench_fr(tmp_path_factory):
    """The bench site with a French version of the article, built."""
    return bench_built(tmp_path_factory, **FRENCH)


@pytest.fixture(scope="module")
def bench_no_cards(tmp_path_factory):
    """The bench site with images.cards: false, built."""
    return bench_built(tmp_path_factory, edits=[NO_CARDS])


def sources(name: str, widths: list[int]) -> str:
    """The <source> elements of a photo of the bench-day bundle, one per modern format."""
    found = ""
    for fmt in modern_formats():
        srcset = ", ".join(f"/news/bench-day/{name}.{w}.{fmt.lower()} {w}w" for w in widths)
        found += f'<source type="image/{fmt.lower()}" srcset="{srcset}" sizes="{SIZES}">'
    return found


def test_photos_are_pictures_in_a_few_widths_and_formats(bench):
    """A body photo: <picture> with AVIF/WebP sources, a JPEG fallback, its size, lazy; never wider than the original."""
    site = bench
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


def test_the_lead_image_is_loaded_at_once_with_its_credit(bench):
    """The front matter image leads the article: not lazy, high priority, its credit as the caption."""
    page = (bench / "public/news/bench-day/index.html").read_text()
    assert ('<figure class="lead-image"><picture>' + sources("bench", [480, 960, 1600])
            + '<img src="bench.jpg" srcset="/news/bench-day/bench.480.jpg 480w, /news/bench-day/bench.960.jpg 960w, bench.jpg 1600w" '
            f'sizes="{SIZES}" alt="A lab bench" width="1600" height="800" fetchpriority="high"></picture>'
            "<figcaption>© Jane Doe / MIB</figcaption></figure>") in page


@pytest.mark.parametrize(("body", "eager"), [
    ("![Pipettes on the bench](pipettes.jpg)\n\nThe lab opened.\n", True),
    ("The lab opened.\n\n![Pipettes on the bench](pipettes.jpg)\n", False),
])
def test_without_a_lead_image_a_photo_at_the_top_of_the_body_loads_at_once(tmp_path, body, eager):
    """The first thing a reader sees is not lazy; a photo under the first paragraph still is."""
    head = ARTICLE.split("The lab opened.")[0].replace('image: bench.jpg\nimage_alt: "A lab bench"\nimage_credit: "© Jane Doe / MIB"\n', "")
    site = bench_site(tmp_path, **{"content/news/bench-day/index.md": head + body})
    build(site)
    page = (site / "public/news/bench-day/index.html").read_text()
    img = re.search(r'<img src="pipettes.jpg"[^>]*>', page).group(0)
    assert img.endswith('fetchpriority="high">' if eager else 'loading="lazy" decoding="async">'), img


def test_an_svg_is_published_untouched_with_its_size(bench):
    """An SVG keeps its bytes and gets the size its viewBox gives, lazy."""
    site = bench
    page = (site / "public/news/bench-day/index.html").read_text()
    assert '<img src="plan.svg" alt="A plan of the lab" width="120" height="60" loading="lazy" decoding="async">' in page
    assert (site / "public/news/bench-day/plan.svg").read_text() == PLAN


def test_a_translation_shows_the_copies_of_its_original(bench_fr):
    """The French version's photos come from the copies beside the English page; the fallback is beside each version."""
    site = bench_fr
    page = (site / "public/fr/actualites/jour-du-banc/index.html").read_text()
    assert sources("pipettes", [480, 700]) in page and '<img src="pipettes.jpg"' in page
    assert (site / "public/fr/actualites/jour-du-banc/pipettes.jpg").is_file()
    assert not list((site / "public/fr/actualites/jour-du-banc").glob("pipettes.480.*"))


def test_a_text_edit_makes_no_image_again_and_a_photo_edit_only_its_copies(bench, tmp_path):
    """Copies are made once per photo's bytes: an edit of the text encodes nothing; a new photo makes only its own copies."""
    site = copy_built(bench, tmp_path / "site")
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
    published = sorted(path.name for path in folder.iterdir() if path.name not in ("index.html", "preview.jpg"))
    assert published == sorted([f"{name}.{fmt.lower()}" for name in ("plot.300", "turned.400") for fmt in modern_formats()] + ["plot.png", "turned.jpg"])
    for name in [*published, "preview.jpg"]:  # the link preview is cut from turned.jpg, the first photo
        image = opened((folder / name).read_bytes())
        assert len(image.getexif()) == 0, name
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "Author", "comment"} & set(image.info), (name, sorted(image.info))
        if name != "preview.jpg":
            assert image.width < image.height if name.startswith("turned") else image.width > image.height, name
    assert 'alt="A rotated bench" width="400" height="800"' in (folder / "index.html").read_text()
    assert opened((folder / "preview.jpg").read_bytes()).size == (400, 210)  # cut from the photo turned upright


def halves(width: int, height: int) -> bytes:
    """A portrait JPEG whose top half is white and bottom half black (a crop shows where it was cut)."""
    image = Image.new("L", (width, height), 0)
    image.paste(255, (0, 0, width, height // 2))
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=95)
    return out.getvalue()


def animation(fmt: str, **options) -> bytes:
    """A two-frame animation of 40×30 pixels in this format (with a comment or metadata as given)."""
    frames = [Image.new("RGB", (40, 30), colour) for colour in ("#0b4f6c", "#f2b134")]
    out = io.BytesIO()
    frames[0].save(out, format=fmt, save_all=True, append_images=frames[1:], duration=200, loop=0, **options)
    return out.getvalue()


def test_pictures_published_under_their_own_bytes_carry_no_metadata_either(tmp_path):
    """An animated WebP and a GIF of a bundle, a PNG of static/: published whole (every frame), sized, without metadata;
    the PNG, a photo, is offered in the modern formats too."""
    body = "Text.\n\n![A loop](loop.webp)\n\n![A spinner](spin.gif)\n\n![A map](/images/map.png)\n"
    site = make_site(tmp_path, {"content/news/moving/index.md": f"---\ntitle: Moving\ndate: 2024-02-11\n---\n{body}",
                                "content/news/moving/loop.webp": animation("WEBP", xmp=b"<x:xmpmeta>Jane Doe</x:xmpmeta>"),
                                "content/news/moving/spin.gif": animation("GIF", comment=b"Jane Doe, 43.29N 5.40E"),
                                "static/images/map.png": photo(300, 200, "PNG", camera=True)})
    build(site)
    folder = site / "public/news/moving"
    assert sorted(path.name for path in folder.iterdir()) == ["index.html", "loop.webp", "preview.jpg", "spin.gif"]
    for path in (folder / "loop.webp", folder / "spin.gif", site / "public/images/map.png"):
        data = path.read_bytes()
        image = Image.open(io.BytesIO(data))
        assert b"Jane Doe" not in data and b"PhoneMaker" not in data and len(image.getexif()) == 0, path.name
        assert image.n_frames == (1 if path.suffix == ".png" else 2), path.name
    page = (folder / "index.html").read_text()
    for src in ("loop.webp", "spin.gif"):
        assert f'<img src="{src}" alt="A {"loop" if src == "loop.webp" else "spinner"}" width="40" height="30" loading="lazy" decoding="async">' in page
    assert page.count("<picture>") == 1  # the photo of static/ (below): copies beside it, the file itself as the widest
    sources = "".join(f'<source type="image/{fmt.lower()}" srcset="/images/map.300.{fmt.lower()} 300w" sizes="{SIZES}">' for fmt in modern_formats())
    assert (f'<picture>{sources}<img src="/images/map.png" srcset="/images/map.png 300w" sizes="{SIZES}" alt="A map" width="300" '
            'height="200" loading="lazy" decoding="async"></picture>') in page
    for fmt in modern_formats():
        assert opened((site / f"public/images/map.300.{fmt.lower()}").read_bytes()).size == (300, 200)


@pytest.mark.parametrize(("focus", "shade"), [("", 128), ("image_focus: [0.5, 0.1]\n", 255), ("image_focus: [0.5, 0.9]\n", 0)])
def test_the_link_preview_is_the_lead_photo_cropped_around_its_focus(tmp_path, focus, shade):
    """og:image, twitter:image and the JSON-LD image: the lead photo cut to 1200:630 around the focus (the centre by default)."""
    text = f'---\ntitle: "Tower"\ndate: 2024-02-12\nimage: tower.jpg\nimage_alt: "The tower"\n{focus}---\nText.\n'
    site = make_site(tmp_path, {"content/news/tower/index.md": text, "content/news/tower/tower.jpg": halves(1000, 2000)})
    build(site)
    page = (site / "public/news/tower/index.html").read_text()
    url = "https://sample.example.org/news/tower/preview.jpg"
    assert f'<meta property="og:image" content="{url}">\n<meta property="og:image:alt" content="The tower">' in page
    assert f'<meta name="twitter:image" content="{url}">\n<meta name="twitter:image:alt" content="The tower">' in page
    assert f'"image":["{url}"]' in page
    preview = opened((site / "public/news/tower/preview.jpg").read_bytes()).convert("L")
    assert preview.size == (1000, 525)  # never enlarged to 1200
    assert abs(ImageStat.Stat(preview).mean[0] - shade) < 16


def test_without_a_lead_image_the_first_photo_of_the_body_is_the_preview(tmp_path):
    site = make_site(tmp_path, {"content/news/tower/index.md": '---\ntitle: "Tower"\ndate: 2024-02-12\n---\nText.\n\n![The tower at night](tower.jpg)\n',
                                "content/news/tower/tower.jpg": photo(2400, 1600)})
    build(site)
    page = (site / "public/news/tower/index.html").read_text()
    assert '<meta property="og:image:alt" content="The tower at night">' in page
    assert opened((site / "public/news/tower/preview.jpg").read_bytes()).size == (1200, 630)


def test_an_article_without_a_photo_gets_a_card_of_its_own_in_its_language(tmp_path):
    """Each language version has its own card (its title and date in its language), 1200×630, named by its title."""
    site = make_site(tmp_path)
    build(site)
    english, french = site / "public/news/first-award", site / "public/fr/actualites/le-cluster-exemple-est-laureat"
    for folder, title in ((english, "The sample cluster wins an award"), (french, "Le cluster exemple est lauréat")):
        page = html.unescape((folder / "index.html").read_text())
        assert f'<meta property="og:image" content="https://sample.example.org/{folder.relative_to(site / "public")}/preview.jpg">' in page
        assert f'<meta property="og:image:alt" content="{title}">' in page
        card = opened((folder / "preview.jpg").read_bytes())
        assert (card.size, card.format) == ((1200, 630), "JPEG")
        assert max(abs(a - b) for a, b in zip(card.getpixel((600, 8)), (11, 79, 108), strict=True)) < 4  # the brand colour (#0b4f6c), as JPEG keeps it
    assert (english / "preview.jpg").read_bytes() != (french / "preview.jpg").read_bytes()
    assert (english / "preview.jpg").read_bytes() != (site / "public/news/platform-news/preview.jpg").read_bytes()


def test_without_cards_an_article_without_a_photo_shows_the_sites_picture(bench_no_cards):
    """images.cards: false: no card is made; an article with a photo keeps its own preview, the others the site's picture."""
    public = bench_no_cards / "public"
    award = (public / "news/first-award/index.html").read_text()
    assert '<meta property="og:image" content="https://sample.example.org/images/share.png">' in award
    assert '"image":["https://sample.example.org/images/share.png"]' in award
    assert not (public / "news/first-award/preview.jpg").exists()
    assert '<meta property="og:image" content="https://sample.example.org/news/bench-day/preview.jpg">' in (public / "news/bench-day/index.html").read_text()
    assert opened((public / "news/bench-day/preview.jpg").read_bytes()).size == (1200, 630)


def test_without_cards_only_a_change_of_photos_changes_the_list_of_previews(bench_no_cards, tmp_path):
    """images.cards: false: a title edit does not list the site's outputs again; an article losing its photos loses its preview."""
    site = copy_built(bench_no_cards, tmp_path / "site")
    edit(site / "content/news/first-award.md", "wins an award\"", "wins a prize\"")
    assert ("site",) not in build(site).computed
    (site / "content/news/bench-day/index.md").write_text('---\ntitle: "Bench day"\ndate: 2024-02-10\n---\nThe lab opened.\n')
    build(site)
    assert not (site / "public/news/bench-day/preview.jpg").exists()
    assert '<meta property="og:image" content="https://sample.example.org/images/share.png">' in (site / "public/news/bench-day/index.html").read_text()
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_an_article_whose_front_matter_breaks_after_a_build_is_an_error_not_a_crash(bench, bench_no_cards, tmp_path):
    """With a photo's preview known from the last build, a date broken in that article is reported at its line, cards on
    (the default) or off."""
    for name, built in (("cards", bench), ("no-cards", bench_no_cards)):
        site = copy_built(built, tmp_path / name)
        edit(site / "content/news/bench-day/index.md", "date: 2024-02-10", "date: someday")
        run = run_cli(site)
        assert run.returncode == 1 and run.lines[0].startswith("content/news/bench-day/index.md:3: error: 'date' must be a date"), run


def test_every_address_in_a_srcset_is_a_published_file(bench_fr):
    """Each candidate of every srcset, in English and French, is a file of the published site, in the format its name says."""
    site = bench_fr
    checked = 0
    for page in ("news/bench-day/index.html", "fr/actualites/jour-du-banc/index.html"):
        folder = (site / "public" / page).parent
        for srcset in re.findall(r'srcset="([^"]*)"', (site / "public" / page).read_text()):
            for candidate in srcset.split(", "):
                address, width = candidate.split(" ")
                path = site / "public" / address.lstrip("/") if address.startswith("/") else folder / address
                image = opened(path.read_bytes())
                assert (image.width, image.format) == (int(width.removesuffix("w")), {"jpg": "JPEG"}.get(path.suffix[1:], path.suffix[1:].upper()))
                checked += 1
    assert checked == 2 * (3 * (len(modern_formats()) + 1) + 2 * (len(modern_formats()) + 1))  # bench: 3 widths, pipettes: 2


def test_a_srcset_address_that_leads_nowhere_is_a_broken_link(tmp_path):
    """The link check reads every candidate of a srcset, as it reads src and href."""
    body = '<picture><source type="image/webp" srcset="/images/logo.webp 1x, /images/logo.png 2x"><img src="/images/logo.png" alt="The mark"></picture>\n'
    site = bench_site(tmp_path, **{"content/news/bench-day/index.md": ARTICLE.split("The lab opened.")[0] + body})
    run = run_cli(site)
    assert run.returncode == 1
    assert run.lines[0] == ("content/news/bench-day/index.md:8: error: broken link '/images/logo.webp' on /news/bench-day/index.html: "
                            "no page or file at that address (fix the address, or create the page it points to)")


def test_an_img_written_in_html_keeps_its_other_attributes(tmp_path):
    """Raw HTML: its alt (a '>' included), title and class stay; its size and copies are the build's."""
    body = '<p><img class="wide" src="pipettes.jpg" alt="Tips > 10 µl" title="Pipettes" width="9"></p>\n'
    site = bench_site(tmp_path, **{"content/news/bench-day/index.md": ARTICLE.split("The lab opened.")[0] + body})
    build(site)
    page = (site / "public/news/bench-day/index.html").read_text()
    assert (f'<img src="pipettes.jpg" srcset="/news/bench-day/pipettes.480.jpg 480w, pipettes.jpg 700w" sizes="{SIZES}" class="wide" '
            'alt="Tips &gt; 10 µl" title="Pipettes" width="700" height="500" loading="lazy" decoding="async"></picture></p>') in page


def test_one_process_and_the_workers_publish_the_same_bytes(tmp_path):
    """The copies are made in the worker processes or in the build's own: byte for byte the same."""
    site = bench_site(tmp_path, **FRENCH)
    build(site, jobs=2)
    alone = bare_copy(site, tmp_path / "alone")
    build(alone, jobs=1)
    assert tree(alone / "public") == tree(site / "public")
