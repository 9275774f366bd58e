"""transforms.cache: the one way transforms cache what they build."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import polars as pl
import pytest

from transforms.cache import cached_frames, write_frame_atomic


def _build_at_once(cache: str, barrier, results) -> None:
    """A worker process: wait for the other, then build the same cache."""
    os.environ["NEWSETL_CACHE_DIR"] = cache

    def build() -> dict[str, pl.DataFrame]:
        barrier.wait(timeout=60)  # both processes are past the 'is it cached?' check: both build and write
        return {"numbers": pl.DataFrame({"n": range(200_000)}), "letters": pl.DataFrame({"c": list("abc")})}

    frames = cached_frames("demo-v1", ("numbers", "letters"), build)
    results.put((frames["numbers"]["n"].sum(), frames["letters"]["c"].to_list()))


def test_two_processes_building_the_same_cache_at_once_both_get_whole_files(tmp_path):
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    workers = [context.Process(target=_build_at_once, args=(str(tmp_path), barrier, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    expected = (sum(range(200_000)), ["a", "b", "c"])
    assert [results.get(timeout=5), results.get(timeout=5)] == [expected, expected]
    # the files are whole, and no temporary file is left behind
    assert sorted(p.name for p in (tmp_path / "demo-v1").iterdir()) == ["letters.arrow", "numbers.arrow"]
    assert pl.read_ipc(tmp_path / "demo-v1" / "numbers.arrow")["n"].sum() == expected[0]


def test_a_cached_frame_is_read_not_built_again(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSETL_CACHE_DIR", str(tmp_path))
    built = []

    def build() -> dict[str, pl.DataFrame]:
        built.append(1)
        return {"x": pl.DataFrame({"a": [1, 2]})}

    first = cached_frames("c-v1", ("x",), build)
    second = cached_frames("c-v1", ("x",), build)
    assert len(built) == 1
    assert second["x"].to_dict(as_series=False) == first["x"].to_dict(as_series=False) == {"a": [1, 2]}


def test_a_failed_write_leaves_no_file_and_no_temporary(tmp_path):
    class Unwritable(pl.DataFrame):
        def write_ipc(self, *args, **kwargs):
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_frame_atomic(Unwritable({"a": [1]}), tmp_path / "t.arrow")
    assert list(Path(tmp_path).iterdir()) == []


def test_a_content_digest_changes_with_any_file_it_covers_and_not_with_their_order(tmp_path):
    from transforms.cache import content_digest

    first, second = tmp_path / "aliases.csv", tmp_path / "demonyms.csv"
    first.write_text("name,place_id\nBig Apple,5128581\n", encoding="utf-8")
    second.write_text("demonym,country_code\nFrench,FR\n", encoding="utf-8")
    before = content_digest([first, second])
    assert content_digest([second, first]) == before and len(before) == 12
    first.write_text("name,place_id\nBig Apple,5128582\n", encoding="utf-8")
    assert content_digest([first, second]) != before


def test_the_gazetteer_and_lexicon_caches_are_keyed_by_every_file_they_are_built_from():
    from transforms.cache import content_digest
    from transforms.places import gazetteer, resolve

    assert set(gazetteer.GAZETTEER_SOURCES) == {Path(gazetteer.__file__).resolve(), *gazetteer.DATA_DIR.glob("*.csv")}
    digest = content_digest(gazetteer.GAZETTEER_SOURCES)
    name = resolve._lexicon_cache_name()
    assert name.startswith(f"gazetteer-v{gazetteer.GAZETTEER_VERSION}-{digest}/lexicon-{content_digest([Path(resolve.__file__)])}-")
