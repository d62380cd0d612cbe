#!/usr/bin/env python3
"""The MIB portal generator's command line: build, check, serve, new, import, schema, cms.

The pipeline is `sitegen.build.build`; this file parses the command, runs it, prints and exits.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn
from zoneinfo import ZoneInfo

from sitegen import __version__
from sitegen.build import Options, Result, build, clock
from sitegen.problems import BuildFailed, Problems, UsageError, sorted_problems, summary_line

if TYPE_CHECKING:
    from sitegen.model.config import Config  # imported by the commands that read it, not by every run


def summary(result: Result) -> str:
    """The one-screen summary printed after a build."""
    stats = dict(result.stats)
    html = stats.pop("html", 0)
    unchanged = result.mode == "unchanged"
    files = stats.pop("files", 0)
    written = ", ".join(f"{k} {v}" for k, v in stats.items())
    tail = f"  {html} HTML pages, {files} files" + (f"; {written}" if written else "")
    if unchanged:
        tail += " (nothing it reads had changed)"
    return "\n".join([*result.overview, tail])


def print_problems(problems: list, stream=None) -> None:
    """Every problem, sorted, then the count."""
    stream = stream or sys.stderr
    ordered = sorted_problems(problems)
    for problem in ordered:
        print(problem, file=stream)
    if ordered:
        print(summary_line(ordered), file=stream)


class Parser(argparse.ArgumentParser):
    """argparse with its usage errors on one line, `error: message (hint)`, exit status 2."""

    def error(self, message: str) -> NoReturn:
        """Print the usage error and exit with status 2."""
        hint = "" if message.endswith(")") else f" (see 'python {self.prog} --help')"
        self.exit(2, f"error: {message}{hint}\n")


def jobs_count(text: str) -> int:
    """--jobs: a whole number of worker processes, 1 or more, capped to the cores this process may use."""
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number (leave --jobs out to use every core)") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {jobs} (leave --jobs out to use every core)")
    return min(jobs, cores())


def cores() -> int:
    """How many cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def base_url(text: str) -> str:
    """--base-url: a plain http(s) address, as base_url in config.yaml must be."""
    from sitegen.model.config import base_url_problem

    problem = base_url_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text


def parse_args(argv: list[str]) -> tuple[str, argparse.Namespace]:
    """The command and its options."""
    parser = Parser(prog="build.py", description="Build the MIB portal.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command")
    for name, text in (("build", "build the site into the output folder"), ("check", "run every check of build --strict, write nothing")):
        _build_options(sub.add_parser(name, help=text))
    serve_parser = sub.add_parser("serve", help="live preview: build with drafts, serve, rebuild and reload on change")
    _build_options(serve_parser)
    serve_parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    serve_parser.add_argument("--port", type=port_number, default=8000, help="port (default: 8000)")
    new_parser = sub.add_parser("new", help="write a new draft article, page, event, call for projects or job offer")
    new_parser.add_argument("kind", choices=["news", "page", "event", "call", "job"], help="news (an article), page, event, call or job")
    new_parser.add_argument("title", help="the title, in quotes")
    new_parser.add_argument("--lang", help="language of the file (default: the site's default language)")
    new_parser.add_argument("--bundle", action="store_true", help="make a folder NAME/index.md with room for images")
    new_parser.add_argument("--slug", help="the file and URL name (default: made from the title)")
    new_parser.add_argument("--config", type=Path, default=Path("config.yaml"), help="config file (default: config.yaml)")
    import_parser = sub.add_parser("import", help="bring a Jekyll or Hugo site's posts (and pages) in")
    import_parser.add_argument("generator", choices=["jekyll", "hugo"], help="the generator of the old site")
    import_parser.add_argument("source", type=Path, help="the old site's folder")
    import_parser.add_argument("--pages", action="store_true", help="bring its pages too (into content/pages/)")
    import_parser.add_argument("--dry-run", action="store_true", help="report what would be written, write nothing")
    import_parser.add_argument("--fields", type=Path, help="a YAML file of 'old: new' field names over the defaults")
    import_parser.add_argument("--config", type=Path, default=Path("config.yaml"), help="config file (default: config.yaml)")
    schema_parser = sub.add_parser("schema", help="write JSON Schema files for editors' tools")
    schema_parser.add_argument("--output", type=Path, default=Path("schemas"), help="folder (default: schemas)")
    cms_parser = sub.add_parser("cms", help="write the browser editor's configuration (Decap CMS's config.yml)")
    cms_parser.add_argument("--output", type=Path, default=Path("cms"), help="folder (default: cms)")
    cms_parser.add_argument("--config", type=Path, default=Path("config.yaml"), help="config file (default: config.yaml)")
    _build_options(parser)
    args = parser.parse_args(argv)
    return args.command or "build", args


def port_number(text: str) -> int:
    """--port: a TCP port, 0 (any free port) to 65535."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return int(text)


def _build_options(parser: argparse.ArgumentParser) -> None:
    """The options shared by build and check."""
    parser.add_argument("--config", type=Path, default=argparse.SUPPRESS, help="config file (default: config.yaml)")
    parser.add_argument("--output", type=Path, default=argparse.SUPPRESS, help="output folder (default: from config, public)")
    parser.add_argument("--drafts", action="store_true", default=argparse.SUPPRESS, help="include drafts and scheduled items")
    parser.add_argument("--strict", action="store_true", default=argparse.SUPPRESS, help="warnings are errors")
    parser.add_argument("--base-url", type=base_url, default=argparse.SUPPRESS, help="override base_url from config")
    parser.add_argument("--jobs", type=jobs_count, default=argparse.SUPPRESS,
                        help="worker processes, 1 or more, at most the number of cores (default: all cores)")
    parser.add_argument("--no-search", dest="search", action="store_false", default=argparse.SUPPRESS, help="skip the search index")
    parser.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print only problems")
    parser.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="print more")


def options(args: argparse.Namespace, **overrides) -> Options:
    """Options from parsed arguments."""
    values = {k: v for k, v in vars(args).items() if k in Options.__dataclass_fields__}
    return Options(**{**values, **overrides})


def main(argv: list[str] | None = None) -> int:
    """Run a command; exit status 0 on success, 1 on problems, 2 on usage errors."""
    command, args = parse_args(sys.argv[1:] if argv is None else argv)
    if command in COMMANDS:
        try:
            return COMMANDS[command](args)
        except UsageError as refused:
            print(refused, file=sys.stderr)
            return 2
    opts = options(args, **({"strict": True, "write": False, "search": False} if command == "check" else {}))
    try:
        result = build(opts)
    except UsageError as refused:
        print(refused, file=sys.stderr)
        return 2
    except BuildFailed as failed:
        print_problems(failed.problems)
        print("build failed: nothing was published" if command == "build" else "check failed", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C: a line, not a traceback (the site is the old one or the new one, never a mix)
        print(f"{command} interrupted", file=sys.stderr)
        return 130
    print_problems(result.problems)
    if command == "check":
        from sitegen.tools.translations import translation_report

        report = translation_report(result.graph, result.problems)
        print("translations: complete" if not report else "translations to do:\n" + "\n".join(report))
    if not opts.quiet:
        verb = "checked" if command == "check" else "built"
        print(f"{verb} in {result.seconds:.2f}s\n{summary(result)}")
    return 0


def settings(config: Path) -> Config | None:
    """config.yaml read and checked for a command other than build and check; None after printing its problems."""
    from sitegen.model.config import load_config

    problems = Problems()
    found = load_config(config, problems)
    if found is None:
        print_problems(problems)
    return found


def run_new(args: argparse.Namespace) -> int:
    """`new`: scaffold a draft, print where it is and the URL it will have."""
    config = settings(args.config)
    if config is None:
        return 1
    root = args.config.parent
    from sitegen.tools.scaffold import new_file  # the commands other than build and check import what only they use

    try:
        path, url = new_file(root, config, args.kind, args.title, args.lang, args.bundle, args.slug, _today(config.timezone))
    except FileExistsError as exists:
        print(f"{Path(exists.args[0]).relative_to(root)}: error: the file already exists (nothing was changed; choose another title or --slug)", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write {exc.filename or 'the new file'}: {exc.strerror or exc} (check the permissions of the content folder)", file=sys.stderr)
        return 1
    print(f"created {path.relative_to(root)}")
    print(f"its address: {url} (a draft: see it with 'python build.py serve', publish it by deleting 'draft: true')")
    return 0


def _today(timezone: str):
    """The build clock's day in the site's time zone."""
    return datetime.fromtimestamp(clock(), ZoneInfo(timezone)).date()


def run_schema(args: argparse.Namespace) -> int:
    """`schema`: write the JSON Schemas."""
    from sitegen.tools.schema_export import write_schemas

    for path in write_schemas(args.output):
        print(f"wrote {path}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    """`import`: bring an old site's posts in; a line per file, then what is left to do by hand."""
    from sitegen.tools.importer.fieldmap import load_field_map
    from sitegen.tools.importer.run import import_site

    if not args.source.is_dir():
        raise UsageError(f"{args.source} is not a folder", f"give the folder of the {args.generator} site")
    mapping = load_field_map(args.fields)
    config = settings(args.config)
    if config is None:
        return 1
    report = import_site(args.generator, args.source, args.config.parent, config, mapping, args.pages, args.dry_run)
    print("\n".join(report.lines))
    print_problems(report.problems)
    verb = "would write" if args.dry_run else "wrote"
    print(f"{verb} {report.written} file{'s' * (report.written != 1)}, {report.unchanged} already there" + (" (dry run: nothing written)" if args.dry_run else ""))
    return 1 if report.problems.errors else 0


def run_cms(args: argparse.Namespace) -> int:
    """`cms`: write the browser editor's configuration."""
    from sitegen.tools.cms_config import write_cms_config

    config = settings(args.config)
    if config is None:
        return 1
    print(f"wrote {write_cms_config(config, args.output)}")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    """`serve`: build with drafts into the preview folder, serve it, rebuild on change; a failed build never stops the server."""
    from sitegen.model.config import load_config
    from sitegen.publish.cache_dir import cache_problems
    from sitegen.publish.outdir import check_output_dir
    from sitegen.tools.cms_backend import Backend
    from sitegen.tools.serve import preview_folder, serve

    gc.enable()  # a long-lived process: the garbage of each rebuild must be collected
    given = options(args)
    root = given.config.parent.absolute()
    refused = cache_problems(root)  # the preview folder is made in .cache/ before the first build
    if refused:
        print_problems(refused)
        print("serve stopped: nothing was built", file=sys.stderr)
        return 1
    probe = Problems()
    config = load_config(given.config, probe, given.base_url)
    published = root / (config.output if config else "public")
    preview = preview_folder(root, published, given.output)  # drafts never go into the published folder
    check_output_dir(preview, root, probe, "--output" if given.output else "the preview folder")  # refused: exit 2
    opts = options(args, drafts=True, output=preview)

    def rebuild() -> list[str]:
        """One build; the problems as text ([] when it published)."""
        try:
            result = build(opts)
        except BuildFailed as failed:
            print_problems(failed.problems)
            print("build failed: the browser shows the problems until they are fixed", file=sys.stderr)
            return [str(p) for p in sorted_problems(failed.problems)]
        except UsageError as refused:
            print(refused, file=sys.stderr)
            return [str(refused)]
        except Exception as exc:
            import traceback

            traceback.print_exc()
            return [f"internal error (please report it): {type(exc).__name__}: {exc}"]
        print_problems(result.problems)
        print(f"built in {result.seconds:.2f}s: {result.stats.get('written', 0)} files written", flush=True)
        return []

    watched = [root / "content", root / "templates", root / "static", opts.config]
    preview.mkdir(parents=True, exist_ok=True)
    cms = Backend(root, config) if config is not None else None  # the browser editor at /admin/, when config.yaml is valid
    serve(preview, watched, rebuild, args.host, args.port, ready=lambda url: print(f"serving {preview} at {url} (Ctrl+C to stop)", flush=True),
          cms=cms)
    return 0


COMMANDS = {"new": run_new, "schema": run_schema, "serve": run_serve, "import": run_import, "cms": run_cms}


if __name__ == "__main__":
    # One build, then the process ends: no cycle collection at all. Turned back on after the build,
    # the collector walked the whole heap once more before exit (1.2 s at 10,000 articles). The
    # preview server turns it on again: it lives on between builds.
    gc.disable()
    status = main()
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError):  # a closed pipe (build.py | head): nothing more to say
            stream.flush()
    os._exit(status)  # everything is written and closed: skip freeing the build's objects one by one (0.4 s at 10,000 articles)
