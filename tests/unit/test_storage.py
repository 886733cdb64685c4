from pathlib import Path

import pytest

from core.storage import Storage, atomic_output, content_key


def test_atomic_output_appears_only_when_complete(tmp_path: Path):
    final = tmp_path / "out" / "video.mp4"
    with atomic_output(final) as temporary:
        assert temporary.suffix == ".mp4"
        temporary.write_bytes(b"data")
        assert not final.exists()
    assert final.read_bytes() == b"data"
    assert list(final.parent.iterdir()) == [final]


def test_a_failed_write_leaves_neither_partial_nor_final_file(tmp_path: Path):
    final = tmp_path / "video.mp4"
    with pytest.raises(RuntimeError), atomic_output(final) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_content_keys_depend_on_every_part_but_not_on_order():
    assert content_key(a=1, b="夜市") == content_key(b="夜市", a=1)
    assert content_key(a=1, b="x") != content_key(a=2, b="x")


def test_stored_paths_are_relative_with_forward_slashes(tmp_path: Path):
    storage = Storage(tmp_path)
    path = storage.cache_path("images", "abcdef", ".png")
    assert storage.relative(path) == "cache/images/ab/abcdef.png"
    assert storage.absolute("cache/images/ab/abcdef.png") == path
