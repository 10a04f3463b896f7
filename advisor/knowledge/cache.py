"""A cache of the validated knowledge base, so most runs skip YAML parsing and pydantic.

Keyed by a hash of every knowledge file, of the code that builds the knowledge objects,
and of the Python version: any edit to rules/ or to advisor/knowledge rebuilds it. It lives in the
user's own cache directory (advisor/paths.py) and holds
only what this process wrote there; a missing, stale or unreadable cache is rebuilt.
Set ADVISOR_CACHE_DIR to move it, or ADVISOR_NO_CACHE=1 to bypass it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from advisor import __version__
from advisor.knowledge.base import KnowledgeBase, build_knowledge, read_sources
from advisor.paths import cache_dir, cache_disabled

CACHE_FORMAT = 1


CODE_DIR = Path(__file__).resolve().parent


def fingerprint(texts: dict[str, str]) -> str:
    digest = hashlib.sha256(f"{CACHE_FORMAT}|{__version__}|{sys.version_info[:2]}".encode())
    for name in sorted(texts):
        digest.update(name.encode() + b"\0" + texts[name].encode() + b"\0")
    for module in sorted(CODE_DIR.glob("*.py")):  # the classes being pickled may change shape
        digest.update(module.name.encode() + b"\0" + module.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def load_cached(directory: Path) -> KnowledgeBase:
    texts = read_sources(directory)
    if cache_disabled():
        return build_knowledge(texts)
    path = cache_dir() / f"knowledge-{fingerprint(texts)}.pickle"
    try:
        knowledge = pickle.loads(path.read_bytes())
        if isinstance(knowledge, KnowledgeBase):
            return knowledge
    except Exception:  # noqa: BLE001 - any unreadable cache is simply rebuilt
        pass
    knowledge = build_knowledge(texts)
    _store(path, knowledge)
    return knowledge


def _store(path: Path, knowledge: KnowledgeBase) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".knowledge-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(knowledge, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for old in path.parent.glob("knowledge-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home still works, just without the cache
