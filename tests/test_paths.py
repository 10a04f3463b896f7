"""The default cache folder: found without importing platformdirs in the common Linux case, and
always the folder platformdirs gives (advisor/paths.py)."""

from __future__ import annotations

import sys

import platformdirs
import pytest

from advisor import paths

ENVIRONMENTS = [
    {"XDG_CACHE_HOME": "/var/tmp/xdg", "HOME": "/home/ada"},
    {"XDG_CACHE_HOME": "/var/tmp/xdg/", "HOME": "/home/ada"},
    {"XDG_CACHE_HOME": "relative/xdg", "HOME": "/home/ada"},  # not absolute: ignored, as XDG says
    {"XDG_CACHE_HOME": "", "HOME": "/home/ada/"},
    {"HOME": "/home/ada"},
    {"HOME": "/"},
    {"HOME": "relative/home"},  # left to platformdirs (it falls back to the password database)
    {},  # no HOME: left to platformdirs
]


@pytest.mark.skipif(sys.platform != "linux", reason="the shortcut is Linux's")
@pytest.mark.parametrize("environment", ENVIRONMENTS,
                         ids=lambda e: ",".join(f"{k}={v}" for k, v in e.items()) or "empty")
def test_the_cache_folder_is_the_one_platformdirs_gives(monkeypatch, environment):
    for name in ("ADVISOR_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert paths.cache_dir() == paths.Path(platformdirs.user_cache_dir(paths.APP_NAME))


@pytest.mark.skipif(sys.platform != "linux", reason="the shortcut is Linux's")
def test_the_common_case_does_not_import_platformdirs(monkeypatch):
    monkeypatch.delenv("ADVISOR_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", "/home/ada")
    monkeypatch.setitem(sys.modules, "platformdirs", None)  # importing it now raises ImportError
    assert paths.cache_dir() == paths.Path("/home/ada/.cache/advisor")
