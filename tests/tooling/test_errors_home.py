"""Every error the library raises on purpose is a class of lwip_enb/errors.py under LwipError.

Checked two ways: every exception class defined anywhere in the package, and every ``raise`` of
a named class in the package's source (read with ``ast``). What is allowed besides, with its
reason, is listed below; a test shows that the scan finds what it should.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import lwip_enb
from lwip_enb import errors

PACKAGE = Path(lwip_enb.__file__).parent

#: exception classes outside errors.py, with why they may be there
OTHER_CLASSES = {
    # raised by a fast path's helpers and caught by the same fast path, which then hands the
    # message to the general codec; never seen by a caller (the registry decoders never raise)
    "lwip_enb.codec.per.Unhandled",
}

#: (module or package, exception name) raised on purpose although not from errors.py, with why
OTHER_RAISES = {
    # PEP 562 module __getattr__ must raise AttributeError for an unknown name
    ("lwip_enb", "AttributeError"),
    # pickle and copy expect TypeError from an object that refuses them (KeyMaterial does)
    ("lwip_enb.keys", "TypeError"),
    # argparse turns ArgumentTypeError from a type function into its usage error
    ("lwip_enb.tools.cli", "ArgumentTypeError"),
    # test helpers for harnesses: a failed expectation is an assertion, as pytest reports it
    ("lwip_enb.sim.testing", "AssertionError"),
    # the bench checks its own measurements and stops the command when pycrate is missing
    ("lwip_enb.tools.bench", "AssertionError"),
    ("lwip_enb.tools.bench", "SystemExit"),
}


def _modules() -> list[str]:
    names = ["lwip_enb"]
    for info in pkgutil.walk_packages([str(PACKAGE)], "lwip_enb."):
        if not info.name.endswith("__main__"):  # it runs the command
            names.append(info.name)
    return names


def _module_file(name: str) -> Path:
    path = PACKAGE.joinpath(*name.split(".")[1:])
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def test_every_exception_class_is_an_lwip_error_in_errors_py() -> None:
    outside = []
    for name in _modules():
        module = importlib.import_module(name)
        for attr, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__ == name:
                if name == "lwip_enb.errors":
                    assert issubclass(obj, errors.LwipError), attr
                elif f"{name}.{attr}" not in OTHER_CLASSES:
                    outside.append(f"{name}.{attr}")
    assert outside == []


def _allowed(module: str, raised: str) -> bool:
    return any(raised == r and (module == m or module.startswith(m + ".")) for m, r in OTHER_RAISES)


def raised_names(source: str) -> set[str]:
    """The class names in ``raise Name(...)`` / ``raise Name`` / ``raise mod.Name(...)``."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(target, ast.Name):
                found.add(target.id)
            elif isinstance(target, ast.Attribute):
                found.add(target.attr)
    return found


def test_every_raise_names_an_error_of_errors_py() -> None:
    ours = {n for n, c in vars(errors).items() if inspect.isclass(c) and issubclass(c, Exception)}
    private = {c.rsplit(".", 1)[1] for c in OTHER_CLASSES}
    bad = []
    for name in _modules():
        for raised in sorted(raised_names(_module_file(name).read_text())):
            if raised in ours or raised in private or _allowed(name, raised):
                continue
            if raised[0].isupper():  # a class, not ``raise exc`` of a caught exception
                bad.append(f"{name} raises {raised}")
    assert bad == []


def test_the_scan_finds_a_builtin_raise() -> None:
    source = (
        "def f(x):\n    if x:\n        raise ValueError('no')\n    raise errors.KeyWipedError\n"
    )
    assert raised_names(source) == {"ValueError", "KeyWipedError"}
    assert raised_names("try:\n    pass\nexcept E as exc:\n    raise\n") == set()
