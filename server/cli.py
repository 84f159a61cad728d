"""The ``epistola`` command: build a corpus, serve a build."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from graph.errors import BuildError


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="epistola")
def main() -> None:
    """epistola publishes a corpus of letters and texts as linked data.

    \b
    Typical use:
      epistola build                 # corpus/ → build/
      epistola serve                 # http://127.0.0.1:8080/
    """


@main.command()
@click.option("--corpus", default="corpus", show_default=True, type=click.Path(file_okay=False),
              help="Directory holding texts/*.txt and authority.toml.")
@click.option("--out", default="build", show_default=True, type=click.Path(file_okay=False),
              help="Build directory to (re)place atomically.")
@click.option("--base-uri", default="http://localhost:8080/", show_default=True, envvar="EPISTOLA_BASE_URI",
              help="Public base URI of every published URI (must end with '/').")
@click.option("--oai-domain", envvar="EPISTOLA_OAI_DOMAIN", metavar="DOMAIN",
              help="Repository domain of OAI-PMH identifiers oai:DOMAIN:type/slug "
                   "[default: the base URI's host, if it is a domain name].")
@click.option("--contact", envvar="EPISTOLA_CONTACT", metavar="EMAIL",
              help="Administrator e-mail for OAI-PMH Identify and the CMIF file [default: postmaster@DOMAIN].")
@click.option("--no-validate", is_flag=True, help="Skip the SHACL check (faster; for experiments only).")
@click.option("--quiet", "-q", is_flag=True, help="Do not report progress.")
def build(corpus: str, out: str, base_uri: str, oai_domain: str | None, contact: str | None,
          no_validate: bool, quiet: bool) -> None:
    """Parse the corpus, model it, check it against the shapes, write a build.

    A bad document stops the build with file, line and reason and a non-zero
    exit; the previous build directory is left exactly as it was.
    """
    from graph.build import _progress_printer, build as run_build
    try:
        manifest = run_build(corpus, out, base_uri, validate=not no_validate, oai_domain=oai_domain,
                             contact=contact, progress=None if quiet else _progress_printer())
    except BuildError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"built {manifest['documents']} documents, {manifest['triples']} triples → {out}/",
               err=True)


@main.command()
@click.option("--build", "build_dir", default="build", show_default=True, type=click.Path(file_okay=False),
              help="Build directory to serve (built from --corpus first if missing).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8080, show_default=True, type=int, help="Port to listen on.")
@click.option("--corpus", default="corpus", show_default=True, type=click.Path(file_okay=False),
              help="Corpus to build from when the build directory does not exist yet.")
@click.option("--store", default="embedded", show_default=True, envvar="EPISTOLA_STORE",
              help="'embedded', or the URL of a SPARQL 1.1 endpoint holding the build's data.")
@click.option("--get", "get_path", metavar="PATH",
              help="Do not listen: send one GET for PATH through the app, print it, exit 1 unless 200.")
def serve(build_dir: str, host: str, port: int, corpus: str, store: str, get_path: str | None) -> None:
    """Serve a build over HTTP (one process; use gunicorn in production).

    \b
    Production:
      gunicorn -w 2 --threads 8 -b 127.0.0.1:8080 'server:create_app()'
    with EPISTOLA_BUILD=/path/to/build in the environment.
    """
    from graph.build import MANIFEST
    from server import create_app
    try:
        if not Path(build_dir, MANIFEST).exists():
            from graph.build import _progress_printer, build as run_build
            click.echo(f"no build in {build_dir}/: building {corpus}/ first", err=True)
            run_build(corpus, build_dir, "http://localhost:8080/", progress=_progress_printer())
        app = create_app({"BUILD": build_dir, "STORE": store})
    except BuildError as err:
        raise click.ClickException(str(err)) from None
    if get_path:
        response = app.test_client().get(get_path)
        click.echo(response.get_data(as_text=True))
        sys.exit(0 if response.status_code == 200 else 1)
    click.echo(f"serving {build_dir}/ as {app.config['BASE_URI']} on http://{host}:{port}/", err=True)
    app.run(host=host, port=port, threaded=True)


if __name__ == "__main__":
    main()
