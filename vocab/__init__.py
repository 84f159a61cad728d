"""Vocabulary files: the JSON-LD context, the SHACL shapes and our own terms.

This package imports nothing of ours; it only tells where its files are.
"""
from importlib.resources import files

CONTEXT = files(__name__) / "context.jsonld"
SHAPES = files(__name__) / "shapes.ttl"
TERMS = files(__name__) / "epistola.ttl"
