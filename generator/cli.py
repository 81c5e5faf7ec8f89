"""The ``briefing`` command: a thin door into the core. Each subcommand's docstring is its help."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.collector import set_aside
from generator.errors import BriefingError, ContentError, UsageError
from generator.progress import Progress
from generator.project import Project, find_project


def cmd_check(args) -> int:
    """Check every content file and report all problems at once.

    With --format github, problems are printed as GitHub Actions annotations,
    which show on the lines of a pull request.

    Example: briefing check
             briefing check --format github
    """
    from generator.check.checker import check_project, quote_counts

    with progress_of(args, summary=False) as progress:
        project = found(progress, args.content)
        progress.stage("check", f"{progress.figures['files']} content files")
        with set_aside():
            archive = check_project(project, kept=True)
        verified, unverified = quote_counts(archive)
        progress.count(
            files=archive.files,
            records=archive.record_count(),
            quotes_verified=verified,
            warnings=len(archive.warnings),
        )
    print(
        f"ok: {archive.files} files, {archive.record_count()} records, "
        f"{verified} quotes verified, {unverified} not verifiable (no local text)"
    )
    print_diagnostics(archive.warnings, args)
    return 0


@contextmanager
def progress_of(args, summary: bool = True) -> Iterator[Progress]:
    """The command's progress on stderr (-q: none, -v: more), ended with its summary line; its figures are
    written to --timings-json when asked. ``summary=False`` when the command's ``ok:`` line says it all."""
    progress = Progress.for_command(quiet=args.quiet, verbose=args.verbose, summary=summary)
    with progress:
        progress.stage("setup", "mkdocs.yml")
        yield progress
        progress.finish()
    if args.timings_json:
        try:
            progress.write_json(Path(args.timings_json))
        except OSError as exc:
            raise UsageError(
                f"--timings-json: cannot write {args.timings_json}: {exc.strerror or exc}"
            ) from None


def found(progress: Progress, content: str | None) -> Project:
    """The project, with its content files counted: a large archive shows its stages from here on."""
    from generator.check.content import content_files

    project = find_project(content=content)
    files = content_files(project)
    progress.stage("setup", f"mkdocs.yml, {files} content files")
    progress.count(files=files)
    progress.files(files)
    return project


def count_pages(progress: Progress, generated) -> None:
    """The docs pages for the summary: how many there are, how many were written and removed."""
    report = generated.report
    progress.count(pages=generated.pages, written=len(report.written), removed=len(report.removed))


def print_diagnostics(diagnostics, args) -> None:
    """Errors and warnings on stderr as ``path:line:col: …``, or as annotations with --format github."""
    github = getattr(args, "format", "text") == "github"
    for d in diagnostics:
        if github:
            print(d.github_annotation())
        else:
            print(d.format(), file=sys.stderr)


def cmd_generate(args) -> int:
    """Check the content and write the Markdown docs that MkDocs builds.

    Only files whose bytes changed are written; with nothing changed, nothing is.

    Example: briefing generate
    """
    with progress_of(args) as progress:
        project = found(progress, args.content)
        from generator.output.generate import generate

        with set_aside():
            result = generate(project, progress=progress)
        count_pages(progress, result)
    r = result.report
    print(f"ok: {result.pages} pages, {len(r.written)} written, {len(r.removed)} removed")
    # every warning it counts, as check prints them
    print_diagnostics(result.without_archive().warnings, args)
    return 0


def cmd_build(args) -> int:
    """Check, generate, then build the site with MkDocs (strict) into site/.

    The site is built aside and swapped in, so a failure at any step leaves the
    previous site/ as it was. SOURCE_DATE_EPOCH sets the build date; without it
    the date of the newest briefing is used, so the same content gives the same bytes.

    Only the pages whose docs changed since site/ was built are rendered, the others kept;
    --clean renders every page. With --offline, build a copy to read from the file system instead (file://,
    no server, no network; search works) into site-offline/ or --site-dir;
    docs/ and site/ stay as they are.

    Example: briefing build
             briefing build --offline --site-dir /media/usb/briefings
    """
    if args.site_dir and not args.offline:
        raise UsageError(
            "--site-dir goes with --offline; the site's own folder is site_dir in mkdocs.yml"
        )
    if args.offline:
        with progress_of(args) as progress:
            project = found(progress, args.content)
            from generator.output.build import build_offline

            built = build_offline(project, Path(args.site_dir) if args.site_dir else None, progress)
            count_pages(progress, built.generated)
        where = (
            built.site_dir.relative_to(Path.cwd())
            if built.site_dir.is_relative_to(Path.cwd())
            else built.site_dir
        )
        print(
            f"ok: {built.generated.pages} pages, offline site built in {where}/; open {where / 'index.html'} in a browser"
        )
        return 0
    with progress_of(args) as progress:
        project = found(progress, args.content)
        from generator.output.build import build_site

        built = build_site(project, while_generating=set_aside, progress=progress, clean=args.clean)
        count_pages(progress, built.generated)
    g = built.generated
    where = (
        built.site_dir.relative_to(project.root)
        if built.site_dir.is_relative_to(project.root)
        else built.site_dir
    )
    if built.rendered == 0:
        print(
            f"ok: {g.pages} pages; nothing changed since {where}/ was built, so it stays as it is"
        )
    else:
        done = (
            f"{built.rendered} rendered, the others kept from the last build"
            if built.rendered is not None
            else f"every page rendered: {built.cold}"
            if built.cold
            else "every page rendered"
        )
        print(
            f"ok: {g.pages} pages ({len(g.report.written)} regenerated, {done}), site built in {where}/"
        )
    print_diagnostics(g.warnings, args)  # every warning it counts, as check prints them
    return 0


def cmd_schema(args) -> int:
    """Print the JSON Schema of a briefing (or of actors.yaml / sources.yaml), or the format reference.

    Both are derived from the record declarations in generator/format/model.py.
    With --write, write every schema to content/schemas/ and the reference to FORMAT-REFERENCE.md.

    Example: briefing schema --document actors
    """
    from generator.data.reference import DOCUMENTS, format_reference, json_schema_text

    if args.write:
        project = find_project(content=args.content)
        folder = project.content / "schemas"
        folder.mkdir(exist_ok=True)
        for name in DOCUMENTS:
            (folder / f"{name}.schema.json").write_text(json_schema_text(name), encoding="utf-8")
        (project.root / "FORMAT-REFERENCE.md").write_text(format_reference(), encoding="utf-8")
        print(
            f"ok: wrote {len(DOCUMENTS)} schemas to {project.rel(folder)}/ and FORMAT-REFERENCE.md"
        )
        return 0
    print(format_reference() if args.markdown else json_schema_text(args.document), end="")
    return 0


def cmd_new(args) -> int:
    """Start a new briefing in content/briefings/<date>-<slug>.yaml.

    With --from, the claims and open issues of that briefing are carried forward
    as they stand (same ids, status, figures, positions and quotes; calls stay
    behind), with its story, sources, summary, key points and tags, and a
    change-log entry to fill. The file passes `briefing check` as written; an
    existing file is never overwritten.

    Example: briefing new "Talks resume in Geneva" --from 2025-12-29-trump-putin-second-call
    """
    from generator.scaffold import new_briefing, parse_day

    project = find_project(content=args.content)
    day = parse_day(args.date) if args.date else None
    made = new_briefing(project, args.title, story=args.story, previous=args.previous, day=day)
    carried = (
        f" (carried forward {made.carried_claims} claims and {made.carried_issues} open issues from {made.previous})"
        if made.previous
        else ""
    )
    print(f"ok: wrote {project.rel(made.path)}{carried}")
    return 0


def cmd_serve(args) -> int:
    """Preview the site on this machine; pages reload when a content file is saved.

    Content errors are printed here and shown in a banner on every page, while
    the preview keeps the last good version. Stop it with Ctrl+C.

    Example: briefing serve --dev-addr 127.0.0.1:8001
    """
    from generator.serve import serve

    if args.content:
        raise UsageError(
            "serve has no --content; the preview reads content/ of the project, as mkdocs serve does"
        )
    serve(find_project(), args.dev_addr)
    return 0


def cmd_quote(args) -> int:
    """Find words in the source texts and print the quote to paste into a briefing.

    The words are matched as `briefing check` matches a quote (white space,
    curly quotes, dashes and ... normalised) in every source with a local text,
    or only in --source. Each place they occur is printed as a list item for
    `quotes:`, with the words exactly as the source has them; where they occur
    more than once, with the prefix or suffix that picks that place. Under a
    `quote:` field, drop the leading "- ".

    Example: briefing quote "a deal is close"
    """
    from generator.check.quoting import find_words

    found = find_words(find_project(content=args.content), args.words, args.source)
    for f in found:
        where = f" (place {f.occurrence} of {f.of})" if f.of > 1 else ""
        print(f"# in {f.source}{where}\n{f.block()}")
    return 0


def cmd_source(args) -> int:
    """Add a source from a saved web page, a PDF or a text file: its text under seeds/, its entry in sources.yaml.

    From a web page (as a browser's "Save page as" writes it), the article's main
    text without navigation, banners, related links or footers, and what the page
    states: headline, publisher, author, publication date and canonical address.
    The options override what the file says. The same text or address twice is
    refused; the project is checked with the new source, and any failure leaves
    sources.yaml and seeds/ as they were.

    Example: briefing source add ~/Downloads/ceasefire-holds.html
             briefing source add report.pdf --publisher "Monitoring Mission" --published 2025-08-04
    """
    from generator.intake import add_source

    project = find_project(content=args.content)
    added = add_source(
        project,
        Path(args.path),
        source_id=args.id,
        url=args.url,
        publisher=args.publisher,
        published=args.published,
    )
    print(
        f"ok: added source '{added.id}': {project.rel(added.seed)} and its entry in sources.yaml:"
    )
    print(added.entry, end="")
    for note in added.notes:
        print(f"note: {note}")
    if added.missing:
        names = added.missing
        said = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" or {names[-1]}"
        options = [f"--{n}" for n in names if n in ("publisher", "url")]
        print(
            f"note: the page does not state its {said}"
            + (f": give {' and '.join(options)} where you know them" if options else "")
        )
    if added.try_quote:
        print(f'next: briefing quote "{added.try_quote}" --source {added.id}')
    return 0


COMMANDS = {
    "check": cmd_check,
    "generate": cmd_generate,
    "build": cmd_build,
    "schema": cmd_schema,
    "new": cmd_new,
    "serve": cmd_serve,
    "quote": cmd_quote,
    "source": cmd_source,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing", description="Check briefings and build the briefing site."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, func in COMMANDS.items():
        doc = func.__doc__ or ""
        p = sub.add_parser(
            name,
            help=doc.splitlines()[0],
            description=doc,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.add_argument(
            "--content", metavar="DIR", help="content folder (default: content/ of the project)"
        )
        p.set_defaults(func=func)
        if name in ("check", "generate", "build"):
            add_progress_options(p)
        options = _OPTIONS.get(name)
        if options is not None:
            options(p)
    return parser


def _check_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        choices=["text", "github"],
        default="text",
        help="github: print errors as GitHub Actions annotations (on standard output)",
    )


def _new_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "title",
        metavar="TITLE",
        help="headline of the new briefing; its id is made from it",
    )
    p.add_argument("--story", metavar="ID", help="id of the story (default: the story of --from)")
    p.add_argument(
        "--from",
        dest="previous",
        metavar="BRIEFING_ID",
        help="carry the threads of this briefing forward",
    )
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the 'as of' date (default: today)")


def _source_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["add"], help="add: a new source from PATH")
    p.add_argument("path", metavar="PATH", help="a saved web page (.html), a PDF or a .txt file")
    p.add_argument("--id", metavar="ID", help="the source's id (default: the text's file name)")
    p.add_argument("--url", metavar="URL", help="where it is online (default: the page's own)")
    p.add_argument(
        "--publisher",
        metavar="NAME",
        help="who published it (default: the page's site name)",
    )
    p.add_argument(
        "--published",
        metavar="YYYY-MM-DD",
        help="when it was published (default: the page's date)",
    )


def _quote_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("words", metavar="WORDS", help="the words to find, as one argument in quotes")
    p.add_argument("--source", metavar="ID", help="look only in this source's text")


def _build_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--offline",
        action="store_true",
        help="build a copy to read from file:// (default folder: site-offline/)",
    )
    p.add_argument("--site-dir", metavar="DIR", help="folder of the offline copy (with --offline)")
    p.add_argument(
        "--clean",
        action="store_true",
        help="render every page, reusing nothing of the last build",
    )


def _serve_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--dev-addr",
        metavar="HOST:PORT",
        default="127.0.0.1:8000",
        help="loopback address to listen on (default: 127.0.0.1:8000)",
    )


def _schema_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--document", choices=["briefing", "actors", "sources"], default="briefing")
    p.add_argument("--markdown", action="store_true", help="print the format reference instead")
    p.add_argument(
        "--write",
        action="store_true",
        help="write the schemas and the reference into the project",
    )


_OPTIONS = {
    "check": _check_options,
    "new": _new_options,
    "source": _source_options,
    "quote": _quote_options,
    "build": _build_options,
    "serve": _serve_options,
    "schema": _schema_options,
}
"""Each command's own arguments, after --content (and the progress options of check, generate and build)."""


def add_progress_options(p: argparse.ArgumentParser) -> None:
    shown = p.add_mutually_exclusive_group()
    shown.add_argument(
        "-q", "--quiet", action="store_true", help="no progress lines and no summary line"
    )
    shown.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="every stage as it starts and ends, with its time, also in a fast run",
    )
    p.add_argument(
        "--timings-json",
        metavar="PATH",
        help="write the seconds of each stage and the counts of the summary to PATH as JSON",
    )


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ContentError as exc:
        print_diagnostics(exc.diagnostics, args)  # warnings wait until the errors are fixed
        n, files = len(exc.diagnostics), len({d.path for d in exc.diagnostics})
        print(
            f"{n} error{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}",
            file=sys.stderr,
        )
        return exc.exit_code
    except UsageError as exc:
        print(f"briefing: {exc}", file=sys.stderr)
        return exc.exit_code
    except BriefingError as exc:
        print(f"briefing: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the edge: never a traceback for a reader of CI logs
        print(
            f"briefing: internal error: {type(exc).__name__}: {exc}; please report this with the content that caused it",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())
