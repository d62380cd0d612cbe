"""The accessibility statement written from content/data/accessibility.yaml: the RGAA's parts, in both languages."""

from __future__ import annotations

import html
import re

import pytest
from support import make_site, problem_report, run_cli

from sitegen.problems import BROKEN_HINT

PAGE = """---
title: "Accessibility statement"
menu: footer
layout: accessibility
---
## What is tested on every change

Every page is checked with axe-core.
"""
PAGE_FR = """---
title: "Déclaration d'accessibilité"
slug: accessibilite
menu: footer
layout: accessibility
---
## Ce qui est vérifié à chaque modification

Chaque page est contrôlée avec axe-core.
"""
CONTACT_FR = """---
title: "Contact"
slug: contact
---
Écrivez-nous.
"""
UNAUDITED = """entity:
  en: The Sample Biocluster
  fr: Le Biocluster exemple
contact:
  en: /contact/
  fr: /fr/contact/
"""
AUDITED = UNAUDITED + """statement_date: 2025-10-02
audit:
  date: 2025-09-30
  rgaa_version: 4.1.2
  auditor: {en: the sample accessibility team, fr: l'équipe accessibilité exemple}
  rate: 87.5
  non_compliant:
    - criterion: "1.3"
      description: {en: The funding chart has no text equivalent., fr: Le graphique du financement n'a pas d'équivalent textuel.}
    - criterion: "10.7"
      description: {en: Focus is hard to see on the partner filter., fr: Le focus est peu visible sur le filtre des partenaires.}
  pages: [/, /news/]
  technologies: [HTML5, CSS]
  environment: [{en: NVDA with Firefox, fr: NVDA avec Firefox}]
  tools: [axe-core]
disproportionate_burden:
  - {en: The archive of scanned minutes., fr: Les archives des comptes rendus numérisés.}
plan: https://sample.example.org/plan.pdf
"""


def _site(tmp_path, record: str | None, **more: str | None):
    """The minimal site with the statement page in both languages and this record (None: no data file)."""
    files = {"content/pages/accessibility.md": PAGE, "content/pages/accessibility.fr.md": PAGE_FR, "content/pages/contact.fr.md": CONTACT_FR,
             **more}
    if record is not None:
        files["content/data/accessibility.yaml"] = record
    return make_site(tmp_path, files)


def _main(site, path: str) -> str:
    """The text of a page's main element, tags removed and spaces collapsed."""
    main = re.search(r"<main.*?</main>", (site / "public" / path).read_text(), re.S).group(0)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace(" .", ".").replace(" ,", ",").replace("( ", "(").strip()
    return html.unescape(text)


def _built(site):
    """Build a site that must build without any message."""
    run = run_cli(site, "--strict")
    assert (run.returncode, run.stderr) == (0, ""), run
    return site


def test_a_site_not_yet_audited_says_so_and_claims_no_rate(tmp_path):
    """No audit: 'not compliant', because there is no audit, no rate, and every other part the RGAA asks for."""
    site = _built(_site(tmp_path, UNAUDITED))
    text = _main(site, "accessibility/index.html")
    assert text.startswith("Accessibility statement The Sample Biocluster is committed to making its website accessible, "
                           "in accordance with article 47 of French law no. 2005-102.")
    assert "Conformance status This website is not compliant with the RGAA" in text
    assert "No RGAA audit of this website has been carried out yet." in text
    assert "%" not in text and "Test results" not in text
    for part in ("What is tested on every change Every page is checked with axe-core.",
                 "Non-accessible content No audit has identified non-accessible content yet.",
                 "Preparation of this statement The date of this statement is to be announced.",
                 "Feedback and contact If you cannot access a piece of content or a service of this website, contact us",
                 "Right of appeal", "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.",
                 "Multi-year plan and action plan The multi-year accessibility plan and the current year’s action plan are to be published."):
        assert part in text, part
    page = (site / "public/accessibility/index.html").read_text()
    assert '<a href="/contact/">contact us</a>' in page
    assert "with the RGAA (<span lang=\"fr\">Référentiel général d&#39;amélioration de l&#39;accessibilité</span>, the French" in page
    french = _main(site, "fr/accessibilite/index.html")
    assert "Ce site est non conforme au référentiel général d'amélioration de l'accessibilité (RGAA)." in french
    assert "%" not in french
    assert '<a href="/fr/contact/">nous contacter</a>' in (site / "public/fr/accessibilite/index.html").read_text()


def test_an_audit_gives_the_status_the_rate_the_failures_and_how_it_was_made(tmp_path):
    """87.5 %: partially compliant, with the auditor, the date, each criterion not met, the pages and the tools."""
    site = _built(_site(tmp_path, AUDITED))
    text = _main(site, "accessibility/index.html")
    assert "This website is partially compliant with the RGAA (Référentiel général d'amélioration de l'accessibilité, " \
           "the French general accessibility improvement framework), version 4.1.2." in text
    assert "The audit carried out by the sample accessibility team on 30 September 2025 found that 87.5% of the criteria " \
           "of RGAA version 4.1.2 are met." in text
    assert "Non-compliance The content listed below is not accessible, for these reasons: " \
           "Criterion 1.3: The funding chart has no text equivalent. Criterion 10.7: Focus is hard to see on the partner filter." in text
    assert "Disproportionate burden The archive of scanned minutes." in text
    assert "This statement was prepared on 2 October 2025." in text
    assert "Technologies the website is built with HTML5 CSS" in text and "NVDA with Firefox" in text and "axe-core" in text
    page = (site / "public/accessibility/index.html").read_text()
    assert '<li><a href="/">/</a></li>' in page and '<li><a href="/news/">/news/</a></li>' in page
    assert '<a href="https://sample.example.org/plan.pdf">Read the multi-year accessibility plan' in page
    french = _main(site, "fr/accessibilite/index.html")
    assert "Ce site est partiellement conforme au référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1.2." in french
    assert "réalisé par l'équipe accessibilité exemple le 30 septembre 2025 révèle que 87,5 % des critères" in french
    assert "Critère 1.3 : Le graphique du financement n'a pas d'équivalent textuel." in french


@pytest.mark.parametrize(("rate", "failures", "status"), [
    (100, "[]", "fully compliant"), (50, '[{criterion: "1.1", description: x}]', "partially compliant"),
    (49.9, '[{criterion: "1.1", description: x}]', "not compliant"),
])
def test_the_status_follows_the_rgaa_thresholds(tmp_path, rate, failures, status):
    """100 % fully, from 50 % partially, below 50 % not compliant."""
    record = AUDITED.replace("rate: 87.5", f"rate: {rate}").split("  non_compliant:")[0] + f"  non_compliant: {failures}\n"
    run = run_cli(_site(tmp_path, record))
    assert run.returncode == 0, run
    text = _main(tmp_path / "site", "accessibility/index.html")
    assert f"This website is {status} with the RGAA" in text
    assert ("The audit found no non-accessible content." in text) == (rate == 100)


@pytest.mark.parametrize(("change", "line", "message"), [
    (("rate: 87.5", "rate: 120"), 12, "'audit.rate' must be at most 100.0, got 120"),
    (("rate: 87.5", "rate: 100"), 8, "audit: a rate of 100 means every criterion is met, yet non_compliant lists some: "
                                     "correct the rate or the list"),
    (('criterion: "1.3"', 'criterion: "1-3"'), 14, "'audit.non_compliant[1].criterion' has an invalid value '1-3' "
                                                    "(expected the form ^\\d{1,2}\\.\\d{1,2}$)"),
    (("contact:\n  en: /contact/", "contact:\n  en: javascript:alert(1)"), 4,
     "'contact' must be an address of this site (/contact/), an https:// link or a mailto: link, got 'javascript:alert(1)'"),
])
def test_a_wrong_record_is_refused_at_its_line(tmp_path, change, line, message):
    """Each mistake in the record: an error at its line, exit 1, nothing published."""
    site = _site(tmp_path, AUDITED.replace(*change))
    run = run_cli(site)
    assert run.returncode == 1
    errors = [entry for entry in run.lines if ": error: " in entry]
    assert errors == [f"content/data/accessibility.yaml:{line}: error: {message}"], run
    assert not (site / "public").exists()


def test_the_statement_page_without_its_record_is_an_error(tmp_path):
    """layout: accessibility with no data file: one error naming the file to create and the page that needs it."""
    site = _site(tmp_path, None)
    run = run_cli(site)
    assert run.returncode == 1
    assert run.lines == problem_report([
        "content/data/accessibility.yaml: error: the data file is missing, and content/pages/accessibility.md (layout: accessibility) "
        "is written from it (create it; see 'The accessibility statement' in the README)"], "build failed: nothing was published")
    assert not (site / "public").exists()


def test_a_site_without_a_statement_needs_no_record(tmp_path):
    """No page with the layout, no data file: nothing to say."""
    site = make_site(tmp_path)
    assert not (site / "content/data/accessibility.yaml").exists()
    _built(site)


def test_an_audit_more_than_three_years_old_is_a_warning(tmp_path):
    """The build's clock (2025-11-24) is past 2022-11-01 plus three years: a warning at the audit's date; --strict fails."""
    site = _site(tmp_path, AUDITED.replace("date: 2025-09-30", "date: 2022-11-01"))
    warning = ("content/data/accessibility.yaml:9: warning: the audit of 2022-11-01 is more than 3 years old (an RGAA audit "
               "stands for three years: record the new audit here, or remove 'audit' (the statement then says the site is not yet audited))")
    run = run_cli(site)
    assert run.returncode == 0 and run.lines[0] == warning, run
    strict = run_cli(site, "--strict")
    assert strict.returncode == 1 and strict.lines[0] == warning.replace(": warning: ", ": error: ")


def test_a_broken_contact_link_is_reported_at_its_line_of_the_record(tmp_path):
    """The statement writes the link from the record, so the record's line is where the editor mends it."""
    site = _site(tmp_path, UNAUDITED.replace("fr: /fr/contact/", "fr: /fr/contacts/"))
    run = run_cli(site)
    assert run.returncode == 1
    assert run.lines[0] == ("content/data/accessibility.yaml:6: error: broken link '/fr/contacts/' on /fr/accessibilite/index.html: "
                            "no page or file at that address (" + BROKEN_HINT + ")")
