#!/usr/bin/env python3
"""Render deploy/nginx.conf.in into a ready nginx.conf for one root folder and port.

The security headers and cache lifetimes come from sitegen/publish/hosting.py, the single source of truth that
also writes the _headers file for Netlify and Cloudflare Pages, so no header is ever written twice by hand.

    python deploy/render_nginx.py --root /var/www/mib/public --port 8080 -o /etc/nginx/nginx.conf
    python deploy/render_nginx.py --example     # regenerate deploy/nginx.conf (root /srv/mib/public, port 80)
    python deploy/render_nginx.py --check       # exit 1 if deploy/nginx.conf is out of date
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import asdict, dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TEMPLATE = HERE / "nginx.conf.in"
EXAMPLE_OUTPUT = HERE / "nginx.conf"

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sitegen.publish.admin import admin_policy  # noqa: E402
from sitegen.publish.hosting import LONG_CACHE, SHORT_CACHE, admin_policy_of, frame_hosts_of, security_headers  # noqa: E402

TEMP_KINDS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
_PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")
# Characters nginx would read as syntax or as a variable inside a quoted string.
_UNSAFE = re.compile(r'["$\\\n\r]')


@dataclass(frozen=True)
class Settings:
    """Where and how nginx serves the site."""

    root: str = "/srv/mib/public"
    port: int = 80
    address: str = ""
    server_name: str = "_"
    user: str = "www-data"
    pid: str = "/run/nginx.pid"
    error_log: str = "/var/log/nginx/error.log"
    access_log: str = "/var/log/nginx/access.log"
    temp_dir: str = ""
    mime_types: str = "/etc/nginx/mime.types"
    frame_hosts: tuple[str, ...] = ()  # config.yaml's iframe_allow: the CSP allows their frames
    admin_policy: str = admin_policy()  # /admin/'s policy: calls to config.yaml's Git host (cms:) allowed


SITE_CONFIG = REPO / "config.yaml"


def quoted(value: str, what: str) -> str:
    """A value safe inside nginx double quotes, or ValueError."""
    if _UNSAFE.search(value):
        raise ValueError(f"{what} {value!r} contains a character nginx would misread (quote, $, backslash or newline)")
    return value


def header_lines(headers: dict[str, str], indent: str = "        ") -> str:
    """`add_header Name "value" always;` lines, server-level indentation unless told."""
    lines = []
    for name, value in headers.items():
        if not re.fullmatch(r"[A-Za-z0-9-]+", name):
            raise ValueError(f"header name {name!r} is not a valid HTTP header name")
        lines.append(f'{indent}add_header {name} "{quoted(value, name)}" always;\n')
    return "".join(lines)


def temp_lines(temp_dir: str) -> str:
    """nginx's temporary folders under one folder (only when given: the package's defaults are fine)."""
    if not temp_dir:
        return ""
    base = quoted(temp_dir.rstrip("/"), "temp_dir")
    return "".join(f'    {kind}_temp_path "{base}/{kind}";\n' for kind in TEMP_KINDS)


def render(settings: Settings = Settings(), template: str | None = None) -> str:
    """The nginx.conf text for these settings."""
    text = TEMPLATE.read_text(encoding="utf-8") if template is None else template
    if not 0 < settings.port < 65536:
        raise ValueError(f"port {settings.port} is not between 1 and 65535")
    listen = f"{settings.address}:{settings.port}" if settings.address else str(settings.port)
    values = {
        "ROOT": quoted(settings.root.rstrip("/") or "/", "root"),
        "LISTEN": listen,
        "SERVER_NAME": settings.server_name,
        "PID": quoted(settings.pid, "pid"),
        "ERROR_LOG": quoted(settings.error_log, "error_log"),
        "ACCESS_LOG": quoted(settings.access_log, "access_log"),
        "MIME_TYPES": quoted(settings.mime_types, "mime_types"),
        "LONG_CACHE": quoted(LONG_CACHE, "LONG_CACHE"),
        "SHORT_CACHE": quoted(SHORT_CACHE, "SHORT_CACHE"),
    }
    # Whole-line placeholders: replaced with their lines, or removed when empty.
    blocks = {
        "USER": f"user {settings.user};\n" if settings.user else "",
        "TEMP_PATHS": temp_lines(settings.temp_dir),
        "SECURITY_HEADERS": header_lines(security_headers(settings.frame_hosts)),
        "ADMIN_HEADERS": header_lines(security_headers(settings.frame_hosts) | {"Content-Security-Policy": settings.admin_policy}, " " * 12),
    }
    for name, block in blocks.items():
        text = text.replace(f"@@{name}@@\n", block)
    text = _PLACEHOLDER.sub(lambda m: values[m.group(1)] if m.group(1) in values else m.group(0), text)
    left = sorted(set(_PLACEHOLDER.findall(text)))
    if left:
        raise ValueError(f"the template has placeholders this script does not know: {', '.join(left)}")
    shown = ", ".join(f"{k}={v}" for k, v in asdict(settings).items() if v != getattr(Settings(), k) or k in ("root", "port"))
    notice = f"# GENERATED by deploy/render_nginx.py from deploy/nginx.conf.in ({shown}): do not edit by hand.\n"
    return notice + text


def example_settings() -> Settings:
    """The settings of the example shipped as deploy/nginx.conf: the defaults, with the repository's iframe_allow."""
    return Settings(frame_hosts=tuple(frame_hosts_of(SITE_CONFIG)), admin_policy=admin_policy_of(SITE_CONFIG))


def render_example() -> str:
    """The example shipped as deploy/nginx.conf."""
    return render(example_settings())


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description="Render deploy/nginx.conf.in into a ready nginx configuration.")
    defaults = Settings()
    parser.add_argument("--root", default=defaults.root, help=f"the built site's folder (default {defaults.root})")
    parser.add_argument("--port", type=int, default=defaults.port, help=f"port to listen on (default {defaults.port})")
    parser.add_argument("--address", default=defaults.address, help="address to listen on, such as 127.0.0.1 (default: all)")
    parser.add_argument("--server-name", default=defaults.server_name, help="server_name (default _: any host)")
    parser.add_argument("--user", default=defaults.user, help="user the workers run as; '' to leave it out (default www-data)")
    parser.add_argument("--pid", default=defaults.pid, help=f"pid file (default {defaults.pid})")
    parser.add_argument("--error-log", default=defaults.error_log, help=f"error log (default {defaults.error_log})")
    parser.add_argument("--access-log", default=defaults.access_log, help=f"access log (default {defaults.access_log})")
    parser.add_argument("--temp-dir", default=defaults.temp_dir, help="folder for nginx's temporary files (default: the package's)")
    parser.add_argument("--mime-types", default=defaults.mime_types, help=f"nginx's mime.types (default {defaults.mime_types})")
    parser.add_argument("--config", type=Path, default=SITE_CONFIG,
                        help="the site's config.yaml, whose iframe_allow the CSP allows and whose cms: /admin/'s policy (default: the repository's)")
    parser.add_argument("-o", "--output", default="-", help="file to write (default: standard output)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--example", action="store_true", help="rewrite deploy/nginx.conf with the example settings")
    mode.add_argument("--check", action="store_true", help="exit 1 if deploy/nginx.conf differs from the example rendering")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Render, write or check; exit status 0, or 1 when --check finds the example out of date."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.check:
        current = EXAMPLE_OUTPUT.read_text(encoding="utf-8") if EXAMPLE_OUTPUT.is_file() else ""
        if current != render_example():
            print("deploy/nginx.conf is out of date: run python deploy/render_nginx.py --example", file=sys.stderr)
            return 1
        return 0
    if args.example:
        EXAMPLE_OUTPUT.write_text(render_example(), encoding="utf-8")
        return 0
    fields = {k: v for k, v in vars(args).items() if k in Settings.__dataclass_fields__}
    try:
        text = render(replace(Settings(), **fields, frame_hosts=tuple(frame_hosts_of(args.config)), admin_policy=admin_policy_of(args.config)))
    except ValueError as exc:
        print(f"render_nginx.py: {exc}", file=sys.stderr)
        return 2
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
