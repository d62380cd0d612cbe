"""Partners' logos: shown with their size on the partner's page and in the directory, each checked at its line of partners.yaml."""

from __future__ import annotations

import pytest
from PIL import Image
from support import REPO, edit, make_site, run_cli

LOGO_LINE = "  location: Marseille\n"
WIDTH, HEIGHT = Image.open(REPO / "static/images/logo.png").size
HINT = "(put the logo in static/ (static/images/partners/x.svg) and write its address from there: /images/partners/x.svg)"


def _site(tmp_path, logo: str, **files: bytes):
    """The sample site, its first partner (line 2 of partners.yaml) with this logo."""
    site = make_site(tmp_path, files)
    edit(site / "content/data/partners.yaml", LOGO_LINE, f"{LOGO_LINE}  logo: {logo}\n")
    return site


def test_a_logo_is_shown_with_its_size_on_the_partners_page_and_lazy_in_the_directory(tmp_path):
    """Decorative beside the name it shows (alt=""), sized, at once on the partner's page, lazy in the list; both languages."""
    site = _site(tmp_path, "/images/logo.png")
    run = run_cli(site, "--strict")
    assert (run.returncode, run.stderr) == (0, ""), run
    tag = f'<img class="partner-logo" src="/images/logo.png" alt="" role="presentation" width="{WIDTH}" height="{HEIGHT}"'
    for page in ("partners/sample-university/index.html", "fr/partenaires/sample-university/index.html"):
        assert f"{tag}>" in (site / "public" / page).read_text()
    directory = (site / "public/partners/index.html").read_text()
    assert directory.count('class="partner-logo"') == 1
    assert f'{tag} loading="lazy" decoding="async">' in directory


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
