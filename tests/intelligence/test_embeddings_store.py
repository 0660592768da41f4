"""Embeddings are computed once per framework version and model, stored, and never used
for labels they were not computed from; linking works with the network switched off."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from cairn.intelligence import index as concept_index
from cairn.intelligence import service, store
from cairn.intelligence.errors import EmbeddingsMissing
from cairn.kit.actor import Actor
from tests.factories.intelligence import make_linkable_framework
from tests.factories.taxonomy import make_framework, make_skill


def _files() -> set[Path]:
    return set(store.directory().glob("*.npz")) if store.directory().exists() else set()


def test_each_framework_version_gets_its_own_stored_vectors(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _files()
    first = make_linkable_framework(session, slug="trades")
    after_first = _files() - before
    assert len(after_first) == 2  # skills and occupations
    second = make_framework(session, slug="trades", version="2.0")
    make_skill(session, second, "weld pipes", alt_labels=["pipe welding"])
    session.flush()
    service.build_embeddings(session, Actor.operator(), framework="trades@2.0")
    assert len(_files() - before - after_first) == 1  # version 2 has skills only

    # A request reads what is stored and computes nothing.
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("embeddings were computed during a request")

    monkeypatch.setattr(concept_index, "compute", refuse)
    store._cache.clear()
    found = service.suggest_skills(
        session, Actor.operator(), text="Weld pipes on site", framework="trades@2.0"
    )
    assert [item.label for item in found.items] == ["weld pipes"]
    found = service.suggest_skills(
        session, Actor.operator(), text="Drive a forklift", framework="trades@1.0"
    )
    assert found.items[0].concept_id == first.skill_id("forklift operation")


def test_changed_labels_make_stored_vectors_stale(session: Session) -> None:
    linkable = make_linkable_framework(session, slug="stale")
    make_skill(session, linkable.framework, "drive a bus")
    linkable.framework.title = "Everyday skills, revised"  # bumps updated_at
    session.flush()
    store._cache.clear()
    with pytest.raises(
        EmbeddingsMissing, match=re.escape("cairn skills index --framework stale@1.0")
    ):
        service.suggest_skills(session, Actor.operator(), text="Drive a bus", framework="stale")
    built = service.refresh_embeddings(session)
    assert {(item.framework.slug, item.kind) for item in built} >= {("stale", "skills")}
    found = service.suggest_skills(session, Actor.operator(), text="Drive a bus", framework="stale")
    assert found.items[0].label == "drive a bus"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_the_model_loads_and_links_with_the_network_off(session: Session, no_network: None) -> None:
    from cairn.intelligence.embedders import WordLlamaEmbedder

    fresh = WordLlamaEmbedder()  # loads its files again, not the cached instance
    assert fresh.embed(["use spreadsheets"]).shape == (1, 256)
    make_linkable_framework(session, slug="offline")
    found = service.suggest_skills(
        session, Actor.operator(), text="Keep stock lists in Excel", framework="offline"
    )
    assert found.items[0].label == "use spreadsheets software"
