"""corpus/ → RDF graph → build directory.

This package reads the corpus, models it as Dublin Core and schema.org RDF,
validates it against the SHACL shapes of ``vocab/`` and writes a build (an
embedded store, dumps, a dataset description). It never imports ``server``
and never touches the network.
"""
