"""Builds: what they write, and how a bad corpus fails without touching the previous build."""
from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner

from server.cli import main
from tests.conftest import SEED


def checksums(directory: Path) -> dict[str, str]:
    """SHA-256 of every file under ``directory``, by relative path."""
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def test_build_writes_store_dumps_void_and_manifest(built):
    manifest = json.loads((built / "manifest.json").read_text())
    assert manifest["documents"] == 1
    nt = gzip.decompress((built / "dumps" / "epistola.nt.gz").read_bytes()).decode()
    assert len([line for line in nt.splitlines() if line.strip()]) == manifest["triples"]
    sums = dict(line.split("  ")[::-1] for line in (built / "dumps" / "SHA256SUMS").read_text().splitlines())
    for d in manifest["dumps"]:
        data = (built / "dumps" / d["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == d["sha256"] == sums[d["name"]]
    store = ox.Store.read_only(str(built / "store"))
    assert len(store) == manifest["triples"]
    void = (built / "void.ttl").read_text()
    assert f"void:triples {manifest['triples']}" in void


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args))


def test_broken_document_fails_with_file_and_line_and_keeps_previous_build(corpus_copy, tmp_path):
    out = tmp_path / "build"
    first = run_cli("build", "--corpus", str(corpus_copy), "--out", str(out), "-q")
    assert first.exit_code == 0, first.output
    before = checksums(out)
    bad = corpus_copy / "texts" / "zz-broken.txt"
    bad.write_text("# A title\n\nAn author\n\nA body that never reaches a colophon.\n", encoding="utf-8")
    result = run_cli("build", "--corpus", str(corpus_copy), "--out", str(out), "-q")
    assert result.exit_code != 0
    assert f"{bad}:5:" in result.output
    assert "no 'The Anarchist Library' line" in result.output
    assert "Traceback" not in result.output
    assert checksums(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".build.")]   # no debris


def test_shape_violation_fails_the_build_readably(corpus_copy, tmp_path):
    authority = corpus_copy / "authority.toml"
    text = authority.read_text(encoding="utf-8")
    authority.write_text(text.replace('recipients = { value = ["Emile Armand"], source = "TAL" }\n', ""),
                         encoding="utf-8")
    result = run_cli("build", "--corpus", str(corpus_copy), "--out", str(tmp_path / "b"), "-q")
    assert result.exit_code != 0
    assert "does not conform" in result.output and "schema:recipient" in result.output
    assert not (tmp_path / "b").exists()


def test_unsourced_authority_fact_is_refused_with_its_line(corpus_copy, tmp_path):
    authority = corpus_copy / "authority.toml"
    lines = authority.read_text(encoding="utf-8").splitlines()
    at = lines.index('[persons."Jean Maitron"]')
    lines.insert(at + 1, 'birth_place = "Sardy-lès-Épiry"')
    authority.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("build", "--corpus", str(corpus_copy), "--out", str(tmp_path / "b"), "-q")
    assert result.exit_code != 0
    assert f"authority.toml:{at + 2}:" in result.output
    assert "birth_place has no source" in result.output


def test_mention_must_occur_in_the_text(corpus_copy, tmp_path):
    authority = corpus_copy / "authority.toml"
    authority.write_text(authority.read_text(encoding="utf-8").replace(
        'quote = "the letter from Toulouse"', 'quote = "the letter from Lyon"'), encoding="utf-8")
    result = run_cli("build", "--corpus", str(corpus_copy), "--out", str(tmp_path / "b"), "-q")
    assert result.exit_code != 0
    assert "'the letter from Lyon' does not occur" in result.output


def test_console_script_help_and_progress(tmp_path, corpus_copy):
    exe = Path(sys.executable).with_name("epistola")
    helptext = subprocess.run([exe, "build", "--help"], capture_output=True, text=True, check=True).stdout
    for flag in ("--corpus", "--out", "--base-uri"):
        assert flag in helptext
    done = subprocess.run([exe, "build", "--corpus", corpus_copy, "--out", tmp_path / "b"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "parse: 1/1" in done.stderr and "built 1 documents" in done.stderr


def test_serve_get_smoke(built):
    result = run_cli("serve", "--build", str(built), "--get", "/doc/person/victor-serge.nt")
    assert result.exit_code == 0
    assert "<http://localhost:8080/id/person/victor-serge> <http://schema.org/birthDate>" in result.output


def test_server_picks_up_a_rebuild_and_survives_a_failed_one(corpus_copy, tmp_path):
    from server import create_app
    out = tmp_path / "build"
    assert run_cli("build", "--corpus", str(corpus_copy), "--out", str(out), "-q").exit_code == 0
    client = create_app({"BUILD": str(out), "RELOAD_INTERVAL": 0}).test_client()
    path = "/doc/person/mitchell-abidor.nt"
    assert b"Brooklyn-based translator" in client.get(path).data
    authority = corpus_copy / "authority.toml"
    authority.write_text(authority.read_text(encoding="utf-8").replace("Brooklyn-based", "New York"),
                         encoding="utf-8")
    assert run_cli("build", "--corpus", str(corpus_copy), "--out", str(out), "-q").exit_code == 0
    assert b"New York translator" in client.get(path).data
    (corpus_copy / "texts" / f"{SEED}.txt").write_text("# broken\n", encoding="utf-8")
    assert run_cli("build", "--corpus", str(corpus_copy), "--out", str(out), "-q").exit_code != 0
    assert client.get(path).status_code == 200
    assert b"New York translator" in client.get(path).data


def test_prerendered_documents_equal_what_the_server_renders(built):
    """The build's Turtle and N-Triples are byte for byte the server's own rendering."""
    from server import create_app
    from server.formats import NTRIPLES, TURTLE
    pub = create_app({"BUILD": str(built)}).extensions["epistola"].get()
    things = [r[0].value for r in pub.store.query(
        "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }")]
    assert len(things) >= 13
    for iri in things:
        triples = pub.store.describe(iri)
        assert pub.documents.get(iri, "ttl") == pub.serializer.rdf(triples, TURTLE), iri
        assert pub.documents.get(iri, "nt") == pub.serializer.rdf(triples, NTRIPLES), iri
