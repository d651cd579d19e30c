"""redress on a Dask cluster: replay or plain batch evaluation over a Dask bag or DataFrame
(docs/scaling.md).

    import redress, redress.dask
    from dask.distributed import Client
    client = Client("tcp://scheduler:8786")               # or LocalCluster()
    summary, differences = redress.dask.replay(old, new, bag)
    decisions = redress.dask.evaluate(pack, bag)           # a bag of Decisions, lazily

Needs ``dask`` (and ``distributed`` for a cluster): Debian ``python3-dask python3-distributed``.
Every partition is evaluated with ``evaluate_many`` on the worker's cores (threads, no GIL);
replay summaries come back to the client and are merged exactly (Decimal sums, the library's
merge), so the result equals a single-process ``redress.replay`` over the same cases.

A pack travels to the workers as its files' text and its fingerprint (not as paths: a worker
need not see the client's disk). A worker writes them to a private temporary directory, loads
them once per process, and refuses them (``PackChangedError``) if they do not give the
fingerprint the client loaded.
"""

from __future__ import annotations

import os
import tempfile
import threading
from typing import Any, Dict, List, Optional, Tuple

try:
    import dask
    import dask.bag
except ImportError as e:  # pragma: no cover - exercised where dask is absent
    raise ImportError(
        "redress.dask needs dask (Debian: apt-get install python3-dask python3-distributed; "
        "or pip install 'dask[distributed]')") from e

from . import _redress
from ._replay import CHUNK, Replay, _chunks, differences_frame, replay_chunks, row_to_case

__all__ = ["PackFiles", "replay", "evaluate"]


class PackFiles:
    """A pack as the text of its files plus its fingerprint: what a worker needs to load the
    same pack. ``PackFiles(pack)`` reads the files now; ``load()`` gives the Pack (cached per
    process and fingerprint)."""

    def __init__(self, pack: "_redress.Pack"):
        self.fingerprint = pack.fingerprint
        self.sources: List[Tuple[str, Dict[str, bytes]]] = []  # (file name or "", {name: bytes})
        for source in pack.sources:
            source = os.fspath(source)
            if os.path.isdir(source):
                files = {n: _read(os.path.join(source, n)) for n in sorted(os.listdir(source))
                         if n.endswith((".yaml", ".yml")) and os.path.isfile(os.path.join(source, n))}
                self.sources.append(("", files))
            else:
                folder, name = os.path.split(source)
                files = {name: _read(source)}
                for shared in ("pack.yaml", "pack.yml"):  # a playbook file reads the pack.yaml beside it
                    if os.path.isfile(os.path.join(folder, shared)):
                        files[shared] = _read(os.path.join(folder, shared))
                self.sources.append((name, files))

    def load(self) -> "_redress.Pack":
        with _lock:
            pack = _loaded.get(self.fingerprint)
            if pack is None:
                root = tempfile.mkdtemp(prefix="redress-pack-")
                paths = []
                for i, (name, files) in enumerate(self.sources):
                    folder = os.path.join(root, str(i))
                    os.makedirs(folder)
                    for n, data in files.items():
                        with open(os.path.join(folder, n), "wb") as f:
                            f.write(data)
                    paths.append(os.path.join(folder, name) if name else folder)
                pack = _redress.Pack.load(paths)
                if pack.fingerprint != self.fingerprint:
                    from ._types import PackChangedError

                    raise PackChangedError(
                        f"the pack's files give fingerprint {pack.fingerprint} on this worker, not the client's "
                        f"{self.fingerprint}", [], self.fingerprint, pack.fingerprint)
                _loaded[self.fingerprint] = pack
            return pack


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


_lock = threading.Lock()
_loaded: Dict[str, Any] = {}  # fingerprint -> Pack, per worker process


def _as_cases(part) -> List[Dict[str, Any]]:
    if hasattr(part, "to_dict") and hasattr(part, "columns"):  # a pandas partition of a Dask DataFrame
        return [row_to_case(r) for r in part.to_dict("records")]
    return list(part)


def _replay_partition(part, old: PackFiles, new: PackFiles, now, threads, keep_rows: bool):
    """One partition, numbered from 0: (summary, diff rows, number of cases)."""
    cases = _as_cases(part)
    summary, rows = replay_chunks(old.load(), new.load(), _chunks(cases, CHUNK), 0, now, threads, keep_rows)
    return summary, rows, len(cases)


def _partitions(collection):
    if isinstance(collection, dask.bag.Bag) or hasattr(collection, "to_delayed"):
        return collection.to_delayed()
    raise TypeError(f"redress.dask needs a dask.bag.Bag or a dask.dataframe.DataFrame, not {type(collection).__name__}")


def replay(old, new, collection, *, now=None, threads: Optional[int] = None, differences: bool = True) -> Replay:
    """:func:`redress.replay` over a Dask bag of case dicts or a Dask DataFrame (one case a row),
    on the cluster of the current ``distributed.Client`` (or Dask's default scheduler).

    Each partition is replayed on a worker; the partition summaries come back and are merged
    exactly on the client, each placed at its partition's offset, so ``summary`` equals the
    single-process ``redress.replay(old, new, all_cases).summary``. ``differences``: the changed
    and failed cases as a pandas DataFrame (``case`` is the position in the whole collection);
    ``differences=False`` leaves them on the workers (``None``). ``now=None`` reads the clock
    once, here, for every worker.
    """
    from datetime import datetime, timezone

    if now is None:
        now = datetime.now(timezone.utc)
    old_files, new_files = PackFiles(old), PackFiles(new)
    task = dask.delayed(_replay_partition, pure=False)
    parts = [task(p, old_files, new_files, now, threads, differences) for p in _partitions(collection)]
    results = dask.compute(*parts)
    summary = _redress.ReplaySummary()
    rows: List[Dict[str, Any]] = []
    offset = 0
    for part_summary, part_rows, n in results:
        part_summary.shift_lines(offset)
        summary.merge(part_summary)
        for r in part_rows:
            r["case"] += offset
        rows.extend(part_rows)
        offset += n
    return Replay(summary, differences_frame(rows) if differences else None)


def _evaluate_partition(part, files: PackFiles, trace: bool, threads):
    pack = files.load()
    if hasattr(part, "to_dict") and hasattr(part, "columns"):
        import pandas as pd

        results = pack.evaluate_many([row_to_case(r) for r in part.to_dict("records")], threads=threads, trace=trace)
        rows = [{"state": d.state, "level": d.escalation.level, "total": str(d.compensation.total),
                 "approval": d.compensation.approval, "error": None} if isinstance(d, _redress.Decision) else
                {"state": None, "level": None, "total": None, "approval": None, "error": str(d)} for d in results]
        return pd.DataFrame(rows, index=part.index, columns=["state", "level", "total", "approval", "error"])
    return pack.evaluate_many(list(part), threads=threads, trace=trace)


def evaluate(pack, collection, *, trace: bool = False, threads: Optional[int] = None):
    """Plain batch evaluation on the cluster, lazily: a Dask bag of case dicts gives a bag of
    :class:`Decision` (or :class:`EvaluationError` in a failed case's place); a Dask DataFrame
    gives a Dask DataFrame with the columns ``state``, ``level``, ``total``, ``approval`` and
    ``error``, indexed like the input. Cases without ``now`` use each worker's clock."""
    files = PackFiles(pack)
    if isinstance(collection, dask.bag.Bag):
        return collection.map_partitions(_evaluate_partition, files, trace, threads)
    if hasattr(collection, "map_partitions") and hasattr(collection, "columns"):
        import pandas as pd

        meta = pd.DataFrame({c: pd.Series(dtype=object) for c in ("state", "level", "total", "approval", "error")})
        return collection.map_partitions(_evaluate_partition, files, trace, threads, meta=meta)
    raise TypeError(f"redress.dask.evaluate needs a dask.bag.Bag or a dask.dataframe.DataFrame, not {type(collection).__name__}")
