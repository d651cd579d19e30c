"""redress.dask (issue #16): replay on a LocalCluster of 2 worker processes over 200 000
generated cases gives exactly the single-process summary; plain evaluation over a bag and a
DataFrame. Skipped, saying why, where dask or distributed is not installed (scripts/deps.sh
installs Debian's python3-dask and python3-distributed, so CI runs it)."""

import sys

import pytest

import redress
from conftest import NOW, SOURCE_DIR

dask = pytest.importorskip("dask", reason="dask is not installed (Debian: python3-dask python3-distributed)")
pytest.importorskip("distributed", reason="distributed is not installed (Debian: python3-distributed)")
import dask.bag  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

import redress.dask as rdask  # noqa: E402

sys.path.insert(0, str(SOURCE_DIR / "tools"))
import casegen  # noqa: E402

N = 200_000


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=50) as cluster, Client(cluster) as c:
        yield c


def test_replay_on_two_worker_processes_equals_one_process(client, pack, raised_cap):
    """The cases are generated where they are replayed, on the workers (as a cluster's data
    lives there), partition k by seed 100 + k; this process generates the same stream."""
    new = redress.load(raised_cap)
    parts, per_part = 4, N // 4
    client.upload_file(str(SOURCE_DIR / "tools" / "casegen.py"))

    def generate(k, gen):
        cases = list(gen.cases(pack, per_part, seed=100 + k))
        if k == 1:
            cases[1234] = {"playbook": "no_such_playbook", "facts": {}}  # an error, to be placed exactly
        return cases

    def on_worker(ks):
        import casegen as gen  # uploaded above

        return [c for k in ks for c in generate(k, gen)]

    bag = dask.bag.from_sequence(range(parts), npartitions=parts).map_partitions(on_worker)
    distributed = rdask.replay(pack, new, bag, now=NOW)
    single = redress.replay(pack, new, (c for k in range(parts) for c in generate(k, casegen)), now=NOW)
    assert len(client.scheduler_info()["workers"]) == 2
    assert distributed.summary.cases == N and distributed.summary.changed > 0
    assert distributed.summary == single.summary
    assert distributed.summary.to_json() == single.summary.to_json()
    assert distributed.differences.equals(single.differences)
    assert distributed.summary.to_dict()["first_errors"][0]["line"] == per_part + 1234


def test_plain_evaluation_over_a_bag_and_a_dataframe(client, pack):
    pd = pytest.importorskip("pandas")
    import dask.dataframe as dd

    cases = list(casegen.cases(pack, 2000, seed=2))
    decisions = rdask.evaluate(pack, dask.bag.from_sequence(cases, npartitions=4)).compute()
    assert decisions == pack.evaluate_many(cases)

    rows = [dict(c["facts"], playbook=c["playbook"], state=c["state"], now=c["now"], entered_at=c["entered_at"])
            for c in cases[:500] if c["playbook"] == "delivery_delay"]
    frame = pd.DataFrame(rows, dtype=object)
    out = rdask.evaluate(pack, dd.from_pandas(frame, npartitions=3)).compute()
    expected = [pack.evaluate(**redress._replay.row_to_case(r)) for r in frame.to_dict("records")]
    assert list(out["state"]) == [d.state for d in expected]
    assert list(out["total"]) == [str(d.compensation.total) for d in expected]
    assert out["error"].isna().all()


def test_a_collection_of_another_kind_is_refused(pack):
    with pytest.raises(TypeError, match="dask.bag.Bag"):
        rdask.replay(pack, pack, [{"facts": {}}])
