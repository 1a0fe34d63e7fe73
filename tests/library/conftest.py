"""Fixtures for the library tests: a corpus of real clips generated with PyAV at test time (see library_support)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from library_support import build_corpus


@pytest.fixture(scope="session")
def corpus_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus, generated once per session; tests copy it before changing anything."""
    root = tmp_path_factory.mktemp("corpus-template") / "library"
    build_corpus(root)
    return root


@pytest.fixture
def corpus(corpus_template: Path, tmp_path: Path) -> Path:
    """A private copy of the corpus (symlinks kept as links)."""
    root = tmp_path / "library"
    shutil.copytree(corpus_template, root, symlinks=True)
    return root
