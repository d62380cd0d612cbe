"""Template lookups: a dict's keys, UI strings as attributes, undefined names still fail."""

import jinja2
import pytest
from support import REPO

from sitegen.model.i18n import Strings
from sitegen.render.templates import make_env


def render(source: str, **context) -> str:
    """Render a template string with the site's environment."""
    env = make_env(REPO / "templates")
    return env.from_string(source).render(context)


def test_dict_keys_and_dict_methods_resolve_as_in_plain_jinja():
    page = {"url": "/a/", "title": "A & B", "alternates": {"en": "/a/", "fr": "/fr/a/"}}
    assert render("{{ page.url }} {{ page.title }}", page=page) == "/a/ A &amp; B"
    assert render("{% for k, v in page.alternates.items() %}{{ k }}={{ v }};{% endfor %}", page=page) == "en=/a/;fr=/fr/a/;"
    assert render("{{ page['url'] }}", page=page) == "/a/"


def test_a_missing_key_is_still_an_undefined_error():
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'titel'"):
        render("{{ page.titel }}", page={"title": "A"})


def test_ui_strings_read_as_attributes_and_keys():
    t = Strings({"nav_home": "Accueil", "items": "Éléments"})
    assert render("{{ t.nav_home }}|{{ t['nav_home'] }}|{{ t.items }}", t=t) == "Accueil|Accueil|Éléments"
    assert t == {"nav_home": "Accueil", "items": "Éléments"} and t["nav_home"] == "Accueil"
