"""A synthetic, seeded MIB portal for the benchmark: the real templates and pages, full-size data, N articles.

`make_site(folder, n, seed)` writes a complete site that `build.py --config <folder>/config.yaml` builds
cleanly. The same seed gives the same bytes. Besides the n generated articles, the site keeps the real
site's 16 news files under content/news/ (8 English, 8 French): the real pages link to them.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
MARKER = ".bench-site"
FIRST_DAY = date(2016, 1, 1)
LAST_DAY = date(2025, 11, 15)  # before any SOURCE_DATE_EPOCH the tests use, so nothing is "scheduled"
PARTNER_COUNT = 200
PLATFORM_COUNT = 20
MILESTONE_COUNT = 30
SOURCE_COUNT = 10
PARTNER_TYPES = ("academic", "hospital", "industry", "public-authority", "ecosystem")

# About 40 tags: 20 topics, each with its English and its French name (accents included).
TAGS = [
    ("immunotherapy", "immunothérapie"),
    ("health", "santé"),
    ("autoimmune-diseases", "maladies-auto-immunes"),
    ("clinical-trials", "essais-cliniques"),
    ("funding", "financement"),
    ("governance", "gouvernance"),
    ("launch", "lancement"),
    ("start-ups", "jeunes-pousses"),
    ("jobs", "emploi"),
    ("training", "formation"),
    ("partnerships", "partenariats"),
    ("platforms", "plateformes"),
    ("antibodies", "anticorps"),
    ("oncology", "cancérologie"),
    ("inflammation", "inflammation"),
    ("vaccines", "vaccins"),
    ("innovation", "innovation"),
    ("international", "international"),
    ("events", "événements"),
    ("infectious-diseases", "maladies-infectieuses"),
]

WORDS = {
    "en": {
        "disease": [
            "rheumatoid arthritis",
            "lupus",
            "multiple sclerosis",
            "Crohn's disease",
            "psoriasis",
            "type 1 diabetes",
            "melanoma",
            "lung cancer",
            "leukaemia",
            "sepsis",
            "severe asthma",
            "chronic inflammation",
        ],
        "thing": [
            "monoclonal antibodies",
            "T-cell therapies",
            "NK-cell engagers",
            "checkpoint inhibitors",
            "cytokine profiling",
            "single-cell sequencing",
            "biomarkers",
            "organoid models",
            "mass cytometry",
            "vaccine adjuvants",
        ],
        "verb": ["speeds up", "supports", "strengthens", "opens", "prepares", "extends", "funds", "brings together"],
        "group": ["researchers", "clinicians", "start-ups", "PhD students", "engineers", "patients' associations", "investors"],
        "place": ["Marseille", "Luminy", "La Timone", "Aix-en-Provence", "the Sainte-Marguerite campus", "Provence"],
        "head": [
            "Background",
            "What changes",
            "The first results",
            "Next steps",
            "Who is involved",
            "Funding",
            "A long-term effort",
            "For patients",
            "Training the next generation",
            "Key figures",
            "Timeline",
        ],
        "title": [
            "{org} joins forces with MIB on {thing}",
            "New study on {disease} starts in {place}",
            "{thing}: a milestone for research on {disease}",
            "MIB welcomes {n} new {group}",
            "A new platform for {thing} in {place}",
            "{org} and {org2} sign a partnership",
            "What {thing} could change for {disease}",
            "Call for projects on {disease}",
        ],
        "sentence": [
            "The biocluster {verb} work on {thing} for people living with {disease}.",
            "Around {n} {group} take part in the programme, most of them based in {place}.",
            "The team led by {org} {verb} a study of {thing} that should report in {year}.",
            "According to the partners, the approach could reduce the time from discovery to first trial by {n}%.",
            "This effort {verb} the links between {group} and {group2} across the region.",
            "Results on {disease} were presented in {place} in front of {n} {group}.",
            "Funding of €{money} million covers equipment, staff and the first clinical steps.",
            "The consortium relies on {thing} and on the experience of {org} in {disease}.",
            "Every year since {year}, the number of {group} working on {thing} has grown.",
            "Patients with {disease} could benefit from treatments based on {thing} within a few years.",
            "The work takes place in {place}, close to hospitals and laboratories.",
            "{org} provides access to {thing} for the {group} of the network.",
        ],
        "item": [
            "{n} {group} trained on {thing}",
            "a shared platform for {thing} in {place}",
            "a cohort of {n} patients with {disease}",
            "support from {org}",
            "a budget of €{money} million over {small} years",
            "open data on {disease}",
        ],
        "more": "Read more",
        "table": ["Year", "Projects", "Budget (€ million)"],
        "partner_word": "with",
        "quote": "“This is a decisive step for research on {disease},” says a spokesperson for {org}.",
        "authors": ["MIB editorial team", "Communication office", "Scientific board"],
    },
    "fr": {
        "disease": [
            "la polyarthrite rhumatoïde",
            "le lupus",
            "la sclérose en plaques",
            "la maladie de Crohn",
            "le psoriasis",
            "le diabète de type 1",
            "le mélanome",
            "le cancer du poumon",
            "la leucémie",
            "le sepsis",
            "l'asthme sévère",
        ],
        "thing": [
            "les anticorps monoclonaux",
            "les thérapies cellulaires T",
            "les engageurs de cellules NK",
            "les inhibiteurs de points de contrôle",
            "le profilage des cytokines",
            "le séquençage en cellule unique",
            "les biomarqueurs",
            "les organoïdes",
            "la cytométrie de masse",
        ],
        "verb": ["accélère", "soutient", "renforce", "ouvre", "prépare", "étend", "finance", "rassemble"],
        "group": ["chercheurs", "cliniciens", "jeunes pousses", "doctorants", "ingénieurs", "associations de patients", "investisseurs"],
        "place": ["Marseille", "Luminy", "la Timone", "Aix-en-Provence", "Sainte-Marguerite", "Toulon"],
        "head": [
            "Contexte",
            "Ce qui change",
            "Les premiers résultats",
            "Prochaines étapes",
            "Qui participe",
            "Financement",
            "Un effort de long terme",
            "Pour les patients",
            "Former la relève",
            "Chiffres clés",
            "Calendrier",
        ],
        "title": [
            "{org} s'associe au MIB sur {thing}",
            "Une nouvelle étude sur {disease} démarre à {place}",
            "Une étape pour la recherche sur {disease}",
            "Le MIB accueille {n} nouveaux {group}",
            "Une nouvelle plateforme à {place}",
            "{org} et {org2} signent un partenariat",
            "Ce que {thing} pourraient changer",
            "Appel à projets sur {disease}",
        ],
        "sentence": [
            "Le biocluster {verb} les travaux sur {thing} pour les personnes atteintes par {disease}.",
            "Environ {n} {group} participent au programme, pour la plupart à {place}.",
            "L'équipe conduite par {org} {verb} une étude dont les conclusions sont attendues en {year}.",
            "Selon les partenaires, cette approche pourrait réduire de {n} % le délai entre découverte et premier essai.",
            "Cet effort {verb} les liens entre {group} et {group2} dans toute la région.",
            "Des résultats sur {disease} ont été présentés à {place} devant {n} {group}.",
            "Un financement de {money} millions d'euros couvre l'équipement, les équipes et les premières étapes cliniques.",
            "Le consortium s'appuie sur {thing} et sur l'expérience de {org}.",
            "Depuis {year}, le nombre de {group} travaillant sur ces sujets ne cesse de croître.",
            "Les patients pourraient bénéficier de traitements fondés sur {thing} d'ici quelques années.",
            "Les travaux se déroulent à {place}, à proximité des hôpitaux et des laboratoires.",
            "{org} donne accès à ses équipements aux {group} du réseau.",
        ],
        "item": [
            "{n} {group} formés",
            "une plateforme partagée à {place}",
            "une cohorte de {n} patients",
            "le soutien de {org}",
            "un budget de {money} millions d'euros sur {small} ans",
            "des données ouvertes sur {disease}",
        ],
        "more": "À lire aussi",
        "table": ["Année", "Projets", "Budget (M€)"],
        "partner_word": "avec",
        "quote": "« C'est une étape décisive pour la recherche sur {disease} », souligne un porte-parole de {org}.",
        "authors": ["Rédaction du MIB", "Service communication", "Conseil scientifique"],
    },
}

NAME_ROOTS = [
    "Phocéa",
    "Calanques",
    "Mistral",
    "Massalia",
    "Luminy",
    "Garlaban",
    "Estaque",
    "Canebière",
    "Sainte-Victoire",
    "Joliette",
    "Frioul",
    "Pharo",
    "Vallon",
    "Durance",
    "Camargue",
    "Lavande",
    "Azur",
    "Cassis",
    "Belsunce",
    "Panier",
]
NAME_KINDS = {
    "academic": [
        ("Institute of Immunology", "Institut d'immunologie"),
        ("Research Centre", "Centre de recherche"),
        ("Laboratory of Cell Biology", "Laboratoire de biologie cellulaire"),
    ],
    "hospital": [("Hospital", "Hôpital"), ("Cancer Centre", "Centre de lutte contre le cancer"), ("Clinic", "Clinique")],
    "industry": [("Therapeutics", "Therapeutics"), ("Biotech", "Biotech"), ("Biosciences", "Biosciences"), ("Diagnostics", "Diagnostics")],
    "public-authority": [
        ("Regional Council", "Conseil régional"),
        ("Metropolitan Authority", "Métropole"),
        ("Health Agency", "Agence de santé"),
    ],
    "ecosystem": [("Incubator", "Incubateur"), ("Accelerator", "Accélérateur"), ("Investment Fund", "Fonds d'investissement")],
}


@dataclass
class Article:
    """One planned article: its file key, its languages, its date and what it names."""

    key: str
    langs: list[str]
    day: date
    titles: dict[str, str]
    slugs: dict[str, str]  # each version's address name: the file's key in English, its own in French (`slug:`)
    topics: list[int]
    partners: list[str]
    platforms: list[str]


def make_site(folder: Path, n: int, seed: int, repo: Path = REPO) -> dict:
    """Write a complete synthetic site of n generated articles into folder; return a summary.

    `repo` is the checkout whose config, templates, static files, pages and data the site starts from.
    """
    folder = Path(folder)
    _prepare(folder)
    rng = random.Random(seed)
    _copy_real_site(Path(repo), folder)
    partners, platforms = _write_data(folder / "content" / "data", rng)
    plan = _plan_articles(rng, n, partners, [p["id"] for p in platforms])
    sizes = _write_articles(folder / "content" / "news", rng, plan, partners)
    return {
        "articles": len(plan),
        "files": sum(len(a.langs) for a in plan),
        "bytes": sum(sizes),
        "en": sum("en" in a.langs for a in plan),
        "fr": sum("fr" in a.langs for a in plan),
        "partners": len(partners),
        "platforms": len(platforms),
        "edit_target": _edit_target(plan),
    }


def _prepare(folder: Path) -> None:
    """Empty the folder, refusing one that is not a benchmark site."""
    if folder.exists() and any(folder.iterdir()):
        if not (folder / MARKER).is_file():
            raise SystemExit(f"{folder} is not empty and is not a benchmark site; refusing to overwrite it")
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("generated by bench/corpus.py\n", encoding="utf-8")


def _copy_real_site(repo: Path, folder: Path) -> None:
    """The real configuration, templates, static files, pages, news (the pages link to them) and data files.

    The data files other than figures.yaml are then rewritten at full size, starting from the real entries.
    """
    shutil.copy2(repo / "config.yaml", folder / "config.yaml")
    with open(folder / "config.yaml", "a", encoding="utf-8") as config:  # a card is some 5 ms: 10,000 would double a cold build
        config.write("# Generated preview cards off: their cost is measured apart (docs/benchmark.md).\nimages: {cards: false}\n")
    for part in ("templates", "static", "content/pages", "content/news", "content/data"):
        shutil.copytree(repo / part, folder / part)


def _edit_target(plan: list[Article]) -> str:
    """The generated English article the benchmark edits (relative to the site)."""
    english = [a for a in plan if "en" in a.langs]
    return f"content/news/{english[len(english) // 2].key}.md"


# -- data files ------------------------------------------------------------------------------------


def _dump(path: Path, value) -> None:
    """Write YAML deterministically."""
    text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)
    path.write_text(text, encoding="utf-8", newline="\n")


def _real(data_dir: Path, name: str):
    """A data file of the real site (as copied, before it is rewritten)."""
    return yaml.safe_load((data_dir / f"{name}.yaml").read_text(encoding="utf-8"))


def _write_data(data_dir: Path, rng: random.Random) -> tuple[list[dict], list[dict]]:
    """partners, platforms, milestones and funding at full size; returns partners and platforms."""
    partners = _partners(rng, _real(data_dir, "partners"))
    platforms = _platforms(rng, _real(data_dir, "platforms"), [p["id"] for p in partners])
    _dump(data_dir / "partners.yaml", partners)
    _dump(data_dir / "platforms.yaml", platforms)
    _dump(data_dir / "milestones.yaml", _milestones(rng, _real(data_dir, "milestones")))
    _dump(data_dir / "funding.yaml", _funding(rng, _real(data_dir, "funding")))
    return partners, platforms


def _partners(rng: random.Random, partners: list[dict]) -> list[dict]:
    """The real partners, then generated ones of every type up to PARTNER_COUNT."""
    ids = {p["id"] for p in partners}
    i = 0
    while len(partners) < PARTNER_COUNT:
        kind = PARTNER_TYPES[i % len(PARTNER_TYPES)]
        i += 1
        en_kind, fr_kind = rng.choice(NAME_KINDS[kind])
        root = rng.choice(NAME_ROOTS)
        name = {"en": f"{root} {en_kind}", "fr": f"{fr_kind} {root}" if fr_kind != en_kind else f"{root} {fr_kind}"}
        pid = _unique(slug(name["en"]), ids)
        if pid != slug(name["en"]):  # a second partner of one name gets its number in the name too (titles are unique)
            name = {lang: f"{text} {pid.rsplit('-', 1)[1]}" for lang, text in name.items()}
        partner = {"id": pid, "name": name, "type": kind, "founding_member": False}
        if rng.random() < 0.6:
            partner["website"] = f"https://www.{pid}.example.org"
        if rng.random() < 0.7:
            partner["location"] = rng.choice(["Marseille", "Aix-en-Provence", "Toulon", "Nice", "Montpellier", "Lyon"])
        partner["description"] = {lang: " ".join(_sentence(rng, lang, [name[lang]]) for _ in range(2)) for lang in ("en", "fr")}
        partners.append(partner)
    return partners


def _unique(base: str, taken: set[str], form: str = "{base}-{k}") -> str:
    """base, or base-2, base-3... (in `form`) whichever is free; marks it taken."""
    candidate, k = base, 1
    while candidate in taken:
        k += 1
        candidate = form.format(base=base, k=k)
    taken.add(candidate)
    return candidate


def _platforms(rng: random.Random, platforms: list[dict], partner_ids: list[str]) -> list[dict]:
    """The real platforms (none is named yet), then generated ones up to PLATFORM_COUNT, naming existing partners.

    Generated ids are sample-platform-<k>: the real news keep /platforms/platform-1/ to /platforms/platform-5/
    as old addresses (aliases), so a generated platform must not take one of them.
    """
    statuses = ["planned", "being-built", "open", "to-be-announced"]
    for k in range(len(platforms) + 1, PLATFORM_COUNT + 1):
        thing = rng.randrange(len(WORDS["fr"]["thing"]))
        platforms.append(
            {
                "id": f"sample-platform-{k}",
                "name": {"en": f"Platform {k}: {WORDS['en']['thing'][thing]}", "fr": f"Plateforme {k} : {WORDS['fr']['thing'][thing]}"},
                "status": rng.choice(statuses),
                "summary": {lang: " ".join(_sentence(rng, lang, []) for _ in range(2)) for lang in ("en", "fr")},
                "services": [_both(rng, "item") for _ in range(rng.randint(2, 5))],
                "equipment": [_both(rng, "thing") for _ in range(rng.randint(1, 4))],
                "contact": {"en": f"platform-{k}@mib.example.org", "fr": f"platform-{k}@mib.example.org"},
                "location": {"en": rng.choice(WORDS["en"]["place"]), "fr": rng.choice(WORDS["fr"]["place"])},
                "partners": sorted(rng.sample(partner_ids, rng.randint(2, 8))),
            }
        )
    return platforms


def _both(rng: random.Random, kind: str) -> dict[str, str]:
    """One filled-in phrase of a kind, in English and French (same index, same slots)."""
    state = rng.getstate()
    texts = {}
    for lang in ("en", "fr"):
        rng.setstate(state)
        texts[lang] = _cap(_fill(rng, lang, rng.choice(WORDS[lang][kind]), []))
    return texts


def _milestones(rng: random.Random, milestones: list[dict]) -> list[dict]:
    """The real milestones, then generated ones up to MILESTONE_COUNT, of mixed date precision."""
    while len(milestones) < MILESTONE_COUNT:
        year = rng.randint(2016, 2034)
        form = rng.randrange(3)
        when = (
            year if form == 0 else f"{year}-{rng.randint(1, 12):02d}" if form == 1 else date(year, rng.randint(1, 12), rng.randint(1, 28))
        )
        milestones.append(
            {
                "date": when,
                "title": _both(rng, "title"),
                "description": _both(rng, "sentence"),
                "status": "done" if year <= 2025 else "planned",
            }
        )
    return milestones


def _funding(rng: random.Random, funding: dict) -> dict:
    """The real programme, SOURCE_COUNT sources and as many allocations."""
    funding["sources"] = [
        {
            "id": f"source-{k}",
            "programme": _both(rng, "title"),
            "funder": _both(rng, "group"),
            "amount": rng.randint(1, 40) * 500_000,
            "awarded": date(rng.randint(2016, 2025), rng.randint(1, 12), rng.randint(1, 28)),
            "period": {"en": f"{k + 1} years", "fr": f"{k + 1} ans"},
        }
        for k in range(1, SOURCE_COUNT + 1)
    ]
    funding["allocations"] = [
        {
            "id": f"allocation-{k}",
            "purpose": _both(rng, "item"),
            "amount": rng.randint(1, 30) * 500_000,
            "period": {"en": f"{k} years", "fr": f"{k} ans"},
        }
        for k in range(1, SOURCE_COUNT + 1)
    ]
    return funding


# -- articles --------------------------------------------------------------------------------------


def _plan_articles(rng: random.Random, n: int, partners: list[dict], platform_ids: list[str]) -> list[Article]:
    """n article files: ~60% English, translations of ~60% of them, the rest French-only."""
    n_en = round(n * 0.6)
    n_translated = min(round(n_en * 0.6), n - n_en)
    n_fr_only = n - n_en - n_translated
    translated = set(rng.sample(range(n_en), n_translated))
    names = {p["id"]: p["name"] for p in partners}
    plan, taken = [], set()
    for i in range(n_en + n_fr_only):
        langs = ["en", "fr"] if i in translated else ["en"] if i < n_en else ["fr"]
        plan.append(_plan_one(rng, i, langs, names, platform_ids, taken))
    return plan


def _plan_one(rng: random.Random, i: int, langs: list[str], names: dict, platform_ids: list[str], taken: set[str]) -> Article:
    """One article's key, date, title(s), tags and references."""
    day = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    ids = sorted(names)
    partners = rng.sample(ids, rng.randint(0, 4))
    platforms = rng.sample(platform_ids, rng.choice([0, 0, 0, 1, 2]))
    named = partners or [rng.choice(ids)]
    state = rng.getstate()
    titles = {}
    for lang in ("en", "fr"):
        rng.setstate(state)
        titles[lang] = _cap(_fill(rng, lang, rng.choice(WORDS[lang]["title"]), [_name(names[p], lang) for p in named]))
    for lang in langs:  # two pages of one language never share a title (the build warns)
        titles[lang] = _unique(titles[lang], taken, "{base} ({k})")
    key = _unique(f"{slug(titles[langs[0]])[:60].rstrip('-')}-{i:05d}", taken)
    slugs = {"en": key, "fr": f"{slug(titles['fr'])[:60].rstrip('-')}-{i:05d}"}
    topics = rng.sample(range(len(TAGS)), rng.randint(1, 4))
    return Article(key, langs, day, {lang: titles[lang] for lang in langs}, {lang: slugs[lang] for lang in langs}, topics, partners, platforms)


def _write_articles(news: Path, rng: random.Random, plan: list[Article], partners: list[dict]) -> list[int]:
    """Write every planned article file; returns their sizes in bytes."""
    names = {p["id"]: p["name"] for p in partners}
    by_lang = {lang: [a for a in plan if lang in a.langs] for lang in ("en", "fr")}
    sizes = []
    for article in plan:
        for lang in article.langs:
            text = _front_matter(rng, article, lang) + _body(rng, article, lang, by_lang[lang], names)
            name = f"{article.key}.md" if lang == "en" else f"{article.key}.fr.md"
            data = text.encode("utf-8")
            (news / name).write_bytes(data)
            sizes.append(len(data))
    return sizes


def _front_matter(rng: random.Random, article: Article, lang: str) -> str:
    """The YAML front matter of one language version (strings JSON-quoted: valid YAML)."""
    q = lambda s: json.dumps(s, ensure_ascii=False)  # noqa: E731
    tags = [TAGS[t][0 if lang == "en" else 1] for t in article.topics]
    lines = ["---", f"title: {q(article.titles[lang])}", *([f"slug: {article.slugs[lang]}"] if lang != "en" else []),
             f"date: {article.day.isoformat()}"]
    if rng.random() < 0.7:
        lines.append(f"summary: {q(_sentence(rng, lang, []) + ' ' + _sentence(rng, lang, []))}")
    if rng.random() < 0.15:
        lines.append(f"updated: {min(article.day + timedelta(days=rng.randint(1, 200)), LAST_DAY).isoformat()}")
    lines.append(f"tags: [{', '.join(q(t) for t in tags)}]")
    lines.append(f"partners: [{', '.join(article.partners)}]")
    lines.append(f"platforms: [{', '.join(article.platforms)}]")
    if rng.random() < 0.5:
        lines.append(f"author: {q(rng.choice(WORDS[lang]['authors']))}")
    return "\n".join([*lines, "---", ""])


def _body(rng: random.Random, article: Article, lang: str, same_lang: list[Article], names: dict) -> str:
    """3-6 KB of Markdown: paragraphs, sections, lists, links, now and then a table or a quote."""
    limit = rng.randint(3100, 5900) - 650  # room for the front matter and the closing list
    ctx = _Links(rng, lang, article, same_lang, names)
    blocks = [_paragraph(rng, lang, ctx, 3)]
    size = len(blocks[0].encode("utf-8"))
    while True:
        section = _section(rng, lang, ctx)
        if size + len(section.encode("utf-8")) + 2 > limit:
            break
        blocks.append(section)
        size += len(section.encode("utf-8")) + 2
    while size < limit - 200:
        blocks.append(_paragraph(rng, lang, ctx, 2))
        size += len(blocks[-1].encode("utf-8")) + 2
    blocks.append(f"## {WORDS[lang]['more']}\n\n" + "\n".join(f"- {ctx.article_link()}" for _ in range(rng.randint(2, 3))))
    return "\n\n".join(blocks) + "\n"


# The sections' addresses in each language (templates/i18n/*.yaml, address_*).
SECTIONS = {
    "en": {"news": "/news/", "partners": "/partners/", "platforms": "/platforms/", "funding": "/funding/"},
    "fr": {"news": "/fr/actualites/", "partners": "/fr/partenaires/", "platforms": "/fr/plateformes/", "funding": "/fr/financement/"},
}


class _Links:
    """Links an article may use: other articles of its language, partners and platforms that exist."""

    def __init__(self, rng: random.Random, lang: str, article: Article, same_lang: list[Article], names: dict):
        self.rng, self.lang, self.article, self.same_lang, self.names = rng, lang, article, same_lang, names
        self.section = SECTIONS[lang]

    def article_link(self) -> str:
        """A link to another article in the same language (or to the news index when alone)."""
        others = [a for a in self.rng.sample(self.same_lang, min(3, len(self.same_lang))) if a.key != self.article.key]
        if not others:
            return f"[{'News' if self.lang == 'en' else 'Actualités'}]({self.section['news']})"
        other = others[0]
        return f"[{other.titles[self.lang]}]({self.section['news']}{other.slugs[self.lang]}/)"

    def partner_link(self) -> str:
        """A link to a partner page, preferring the partners the article names."""
        pid = (
            self.rng.choice(self.article.partners)
            if self.article.partners and self.rng.random() < 0.7
            else self.rng.choice(sorted(self.names))
        )
        return f"[{_name(self.names[pid], self.lang)}]({self.section['partners']}{pid}/)"

    def other_link(self) -> str:
        """A platform page, a section index or an outside site."""
        choice = self.rng.randrange(4)
        if choice == 0 and self.article.platforms:
            pid = self.rng.choice(self.article.platforms)
            return f"[{'platform' if self.lang == 'en' else 'plateforme'} {pid.split('-')[-1]}]({self.section['platforms']}{pid}/)"
        if choice == 1:
            return f"[{'funding' if self.lang == 'en' else 'financement'}]({self.section['funding']})"
        if choice == 2:
            return "[France 2030](https://www.info.gouv.fr/france-2030)"
        return f"[{'partners' if self.lang == 'en' else 'partenaires'}]({self.section['partners']})"


def _section(rng: random.Random, lang: str, links: _Links) -> str:
    """A level-2 section: a heading, then paragraphs and maybe a list, a subsection, a table or a quote."""
    parts = [f"## {rng.choice(WORDS[lang]['head'])}", _paragraph(rng, lang, links, rng.randint(3, 6))]
    roll = rng.random()
    if roll < 0.35:
        parts.append(_list(rng, lang, links))
    elif roll < 0.45:
        parts.append(_table(rng, lang))
    elif roll < 0.55:
        parts.append("> " + _fill(rng, lang, WORDS[lang]["quote"], [_name(links.names[rng.choice(sorted(links.names))], lang)]))
    if rng.random() < 0.3:
        parts += [f"### {rng.choice(WORDS[lang]['head'])}", _paragraph(rng, lang, links, rng.randint(2, 4))]
    parts.append(_paragraph(rng, lang, links, rng.randint(2, 5)))
    return "\n\n".join(parts)


def _paragraph(rng: random.Random, lang: str, links: _Links, count: int) -> str:
    """A paragraph of sentences with emphasis and a link or two, wrapped at 100 columns."""
    sentences = [_emphasise(rng, _sentence(rng, lang, [])) for _ in range(count)]
    if rng.random() < 0.6:
        sentences.insert(rng.randrange(len(sentences) + 1), _link_sentence(rng, lang, links))
    if rng.random() < 0.3:
        sentences.append(_link_sentence(rng, lang, links, other=True))
    return _wrap(" ".join(sentences))


def _link_sentence(rng: random.Random, lang: str, links: _Links, other: bool = False) -> str:
    """A sentence carrying a link."""
    if other:
        return ("See also the " if lang == "en" else "Voir aussi la page ") + links.other_link() + "."
    if rng.random() < 0.5:
        return (
            ("The project is run " if lang == "en" else "Le projet est mené ") + WORDS[lang]["partner_word"] + f" {links.partner_link()}."
        )
    return ("We covered a related story: " if lang == "en" else "Nous en parlions déjà : ") + links.article_link() + "."


def _list(rng: random.Random, lang: str, links: _Links) -> str:
    """A bullet or numbered list of 3-6 items."""
    items = [_cap(_fill(rng, lang, rng.choice(WORDS[lang]["item"]), [])) for _ in range(rng.randint(3, 6))]
    if rng.random() < 0.4:
        items[rng.randrange(len(items))] += f" ({links.partner_link()})"
    numbered = rng.random() < 0.3
    return "\n".join(f"{k}. {item};" if numbered else f"- {item};" for k, item in enumerate(items, start=1))


def _table(rng: random.Random, lang: str) -> str:
    """A small table of yearly figures."""
    head = WORDS[lang]["table"]
    start = rng.randint(2016, 2022)
    rows = [f"| {y} | {rng.randint(2, 40)} | {rng.randint(1, 90)} |" for y in range(start, start + rng.randint(3, 5))]
    return "\n".join([f"| {' | '.join(head)} |", "|------|---------:|------:|", *rows])


def _sentence(rng: random.Random, lang: str, orgs: list[str]) -> str:
    """One filled-in sentence."""
    return _fill(rng, lang, rng.choice(WORDS[lang]["sentence"]), orgs)


def _fill(rng: random.Random, lang: str, template: str, orgs: list[str]) -> str:
    """Fill a phrase's slots with words of the language."""
    w = WORDS[lang]
    pool = orgs or ["Aix-Marseille University" if lang == "en" else "Aix-Marseille Université"]
    return template.format(
        disease=rng.choice(w["disease"]),
        thing=rng.choice(w["thing"]),
        verb=rng.choice(w["verb"]),
        group=rng.choice(w["group"]),
        group2=rng.choice(w["group"]),
        place=rng.choice(w["place"]),
        org=rng.choice(pool),
        org2=rng.choice(pool),
        n=rng.randint(3, 120),
        year=rng.randint(2016, 2030),
        money=rng.randint(1, 40),
        small=rng.randint(2, 10),
    )


def _emphasise(rng: random.Random, sentence: str) -> str:
    """Now and then put a word in italics or bold."""
    words = sentence.split(" ")
    if len(words) > 4 and rng.random() < 0.35:
        k = rng.randrange(1, len(words) - 1)
        if words[k].isalpha() and len(words[k]) > 4:
            mark = rng.choice(["*", "**"])
            words[k] = f"{mark}{words[k]}{mark}"
    return " ".join(words)


def _wrap(text: str, width: int = 100) -> str:
    """Hard-wrap text the way editors do (never inside a link)."""
    lines, line = [], ""
    for word in re.split(r" (?![^\[]*\])(?![^(]*\))", text):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


def _name(name, lang: str) -> str:
    """A partner name in one language."""
    return name if isinstance(name, str) else name.get(lang) or name["en"]


def _cap(text: str) -> str:
    """Capitalise the first letter only."""
    return text[:1].upper() + text[1:]


def slug(text: str) -> str:
    """A URL-safe lowercase name without accents."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "item"


def main() -> None:
    """Generate a site from the command line."""
    parser = argparse.ArgumentParser(description="Generate a synthetic MIB portal for the benchmark.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout to take templates, pages and data from")
    args = parser.parse_args()
    print(json.dumps(make_site(args.folder, args.n, args.seed, args.repo)))


if __name__ == "__main__":
    main()
