"""The key of the ASN.1 compile cache covers the code of the whole lwip_enb.asn1 package.

The cached objects are made by every module of the package (the side parser, the transformation,
the plans, the codec classes that get pickled), so editing any one of them must give a new key.
The tests point the key at a copy of the package and edit the copy, one module at a time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lwip_enb.asn1 import cache

PACKAGE = Path(cache.__file__).resolve().parent
MODULES = sorted(p.name for p in PACKAGE.glob("*.py"))
TEXTS = ["M DEFINITIONS ::= BEGIN END"]  # the module texts are hashed too; any will do here


def key() -> str:
    return cache._key(cache._RECIPES["xwap"], TEXTS)


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the package's modules, which the key reads instead of the installed ones."""
    target = tmp_path / "asn1"
    target.mkdir()
    for name in MODULES:
        shutil.copyfile(PACKAGE / name, target / name)
    monkeypatch.setattr(cache, "_CODE_DIR", target)
    return target


def test_the_package_has_its_modules() -> None:
    # Guards the parametrization below against an empty or partial list.
    assert {"__init__.py", "cache.py", "opentype.py", "plans.py", "transform.py"} <= set(MODULES)


def test_an_unchanged_copy_gives_the_same_key(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copied = key()
    monkeypatch.setattr(cache, "_CODE_DIR", PACKAGE)
    assert key() == copied


@pytest.mark.parametrize("name", MODULES)
def test_editing_any_module_changes_the_key(copy: Path, name: str) -> None:
    before = key()
    path = copy / name
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert key() != before, f"the cache key ignores {name}"


def test_the_file_names_count_too(copy: Path) -> None:
    before = key()
    # Same text, same place in the sorted order ('.' sorts before '2'), another name.
    (copy / "transform.py").rename(copy / "transform2.py")
    assert key() != before


def test_a_new_module_changes_the_key(copy: Path) -> None:
    before = key()
    (copy / "extra.py").write_text("", encoding="utf-8")
    assert key() != before


def test_what_is_not_a_module_does_not_count(copy: Path) -> None:
    # Byte code is rewritten by every Python that imports the package: it must not churn the key.
    before = key()
    (copy / "__pycache__").mkdir()
    (copy / "__pycache__" / "cache.cpython-311.pyc").write_bytes(b"\x00" * 16)
    (copy / "notes.txt").write_text("not code", encoding="utf-8")
    assert key() == before


def test_the_cache_format_is_in_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    before = key()
    monkeypatch.setattr(cache, "_CACHE_FORMAT", cache._CACHE_FORMAT + 1)
    assert key() != before
