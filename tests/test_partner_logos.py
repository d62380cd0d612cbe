"""Partners' logos: shown with their size on the partner's page and in the directory, each checked at its line of partners.yaml."""

from __future__ import annotations

import pytest
from PIL import Image
from support import REPO, edit, load_cli, make_site, run_cli

load_cli()
from sitegen.publish.derivatives import modern_formats  # noqa: E402 - after load_cli put the repository on sys.path

LOGO_LINE = "  location: Marseille\n"
HINT = "(put the logo in static/ (static/images/partners/x.svg) and write its address from there: /images/partners/x.svg)"


def _site(tmp_path, logo: str, **files: bytes | str):
    """The sample site, its first partner (line 2 of partners.yaml) with this logo."""
    site = make_site(tmp_path, files)
    edit(site / "content/data/partners.yaml", LOGO_LINE, f"{LOGO_LINE}  logo: {logo}\n")
    return site


def test_a_logo_is_offered_at_its_shown_height_and_twice_that_in_each_format(tmp_path):
    """A PNG logo: copies 56 and 112 pixels high in the modern formats and PNG (1x, 2x), sized, decorative beside the name,
    at once on the partner's page and lazy in the directory, in both languages; the copies are files of the site."""
    site = _site(tmp_path, "/images/logo.png")
    run = run_cli(site, "--strict")
    assert (run.returncode, run.stderr) == (0, ""), run
    sources = "".join(f'<source type="image/{fmt.lower()}" srcset="/images/logo.56.{fmt.lower()} 1x, /images/logo.112.{fmt.lower()} 2x">'
                      for fmt in modern_formats())
    tag = (f'<picture>{sources}<img class="partner-logo" alt="" role="presentation" src="/images/logo.56.png" '
           'srcset="/images/logo.56.png 1x, /images/logo.112.png 2x" width="56" height="56"')
    for page in ("partners/sample-university/index.html", "fr/partenaires/sample-university/index.html"):
        assert f"{tag}></picture>" in (site / "public" / page).read_text()
    directory = (site / "public/partners/index.html").read_text()
    assert directory.count('class="partner-logo"') == 1
    assert f'{tag} loading="lazy" decoding="async"></picture>' in directory
    for fmt in (*modern_formats(), "PNG"):
        for side in (56, 112):
            image = Image.open(site / f"public/images/logo.{side}.{fmt.lower()}")
            assert (image.format, image.size) == (fmt, (side, side))


def test_an_svg_logo_is_shown_as_it_is_with_its_size(tmp_path):
    """An SVG needs no copies: its own file, with the size its viewBox gives."""
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80"><rect width="200" height="80" fill="#0b4f6c"/></svg>'
    site = _site(tmp_path, "/images/partners/mark.svg", **{"static/images/partners/mark.svg": svg})
    run = run_cli(site, "--strict")
    assert (run.returncode, run.stderr) == (0, ""), run
    assert ('<img class="partner-logo" alt="" role="presentation" src="/images/partners/mark.svg" width="200" height="80">'
            in (site / "public/partners/sample-university/index.html").read_text())


@pytest.mark.parametrize(("logo", "files", "message"), [
    ("/images/partners/missing.svg", {}, "the logo '/images/partners/missing.svg' is not a file of static/ " + HINT),
    ("images/logo.png", {}, "the logo 'images/logo.png' must be an address in static/, starting with '/' " + HINT),
    ("/css/style.css", {}, "the logo '/css/style.css' is not a picture (SVG, PNG, JPEG, WebP or GIF) " + HINT),
    ("/images/broken.png", {"static/images/broken.png": (REPO / "static/images/logo.png").read_bytes()[:300]},
     "/images/broken.png: the image is truncated or damaged (copy it again from the original, or export it again)"),
])
def test_a_logo_that_cannot_be_shown_is_an_error_at_its_line(tmp_path, logo, files, message):
    """Each at the line of 'logo:', naming the partner; nothing is published."""
    site = _site(tmp_path, logo, **files)
    run = run_cli(site)
    assert run.returncode == 1
    assert run.lines[0] == f"content/data/partners.yaml:8: error: partner 'sample-university': {message}"
    assert not (site / "public").exists()
