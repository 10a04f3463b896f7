"""`--output` writes ordinary files and never replaces what is not one (issue 11; issue 16
class 1): the user's umask for new files, the old mode for replaced ones, devices and FIFOs
streamed to, links kept, and one clear line with exit 2 for a folder or an unwritable place."""

from __future__ import annotations

import json
import os
import select
import stat
import threading
from pathlib import Path

import pytest
from conftest import run_cli

SCHEMA = ["schema"]


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def one_error_line(result) -> str:
    assert result.returncode == 2, result
    assert result.stdout == ""
    assert result.stderr.startswith("advisor: error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def test_a_new_file_gets_the_users_umask(tmp_path, umask_022):
    target = tmp_path / "schema.json"
    assert run_cli(*SCHEMA, "-o", target).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    os.umask(0o077)
    private = tmp_path / "private.json"
    assert run_cli(*SCHEMA, "-o", private).returncode == 0
    assert stat.S_IMODE(private.stat().st_mode) == 0o600


def test_an_existing_file_keeps_its_mode(tmp_path, umask_022):
    target = tmp_path / "schema.json"
    target.write_text("old")
    target.chmod(0o640)
    assert run_cli(*SCHEMA, "-o", target).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text().startswith("{")


def test_a_symlink_stays_a_symlink_and_its_target_is_written(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert run_cli(*SCHEMA, "-o", link).returncode == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text().startswith("{")


def test_a_hard_linked_file_keeps_its_links(tmp_path):
    first = tmp_path / "a.json"
    first.write_text("old")
    second = tmp_path / "b.json"
    os.link(first, second)
    assert run_cli(*SCHEMA, "-o", first).returncode == 0
    assert first.stat().st_ino == second.stat().st_ino
    assert second.read_text().startswith("{")


def test_dev_null_stays_a_device():
    before = os.stat("/dev/null")
    assert run_cli(*SCHEMA, "-o", "/dev/null").returncode == 0
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino


def test_a_fifo_is_streamed_to_and_stays_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # The read end is opened here, before the CLI looks for a reader (a FIFO no program reads is
    # refused at once): a reader thread's own blocking open would race the CLI's open under load.
    read_end = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    received: list[bytes] = []
    cli_done = threading.Event()

    def drain() -> None:  # ~190 KB: more than a pipe holds, so read while the CLI writes
        while True:
            finished = cli_done.is_set()  # looked at before reading: what the CLI wrote is read after
            select.select([read_end], [], [], 0.1)
            try:
                chunk = os.read(read_end, 1 << 16)
            except BlockingIOError:  # the CLI has the FIFO open and nothing is written yet
                continue
            if chunk:
                received.append(chunk)
            elif finished:  # no writer left and the CLI has returned: everything is read
                return
            else:  # no writer yet, or the CLI has closed it and not returned yet
                cli_done.wait(0.01)

    reader = threading.Thread(target=drain)
    reader.start()
    try:
        result = run_cli(*SCHEMA, "-o", fifo)
    finally:
        cli_done.set()
        reader.join(timeout=120)
        os.close(read_end)
    assert not reader.is_alive()
    assert result.returncode == 0, result
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(b"".join(received))["$schema"]  # the whole document came through the FIFO
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]  # no temporary file left behind


def test_output_naming_a_folder_is_one_line(tmp_path):
    line = one_error_line(run_cli(*SCHEMA, "-o", tmp_path))
    assert "is a folder" in line and str(tmp_path) in line


def test_output_to_proc_version_is_one_line():
    if not os.path.exists("/proc/version"):
        pytest.skip("no /proc on this system")
    before = Path("/proc/version").read_text()
    line = one_error_line(run_cli(*SCHEMA, "-o", "/proc/version"))
    assert "/proc/version" in line and "cannot write" in line
    assert Path("/proc/version").read_text() == before


def test_output_into_a_missing_folder_is_one_line(tmp_path):
    line = one_error_line(run_cli(*SCHEMA, "-o", tmp_path / "nope" / "x.json"))
    assert "folder for the output file does not exist" in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_output_into_a_read_only_folder_is_one_line(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        line = one_error_line(run_cli(*SCHEMA, "-o", folder / "x.json"))
    finally:
        folder.chmod(0o700)
    assert "cannot write the output" in line


def test_output_into_an_unwritable_place_is_one_line():
    if not os.path.isdir("/proc/self"):
        pytest.skip("no /proc on this system")
    # /proc refuses new files even to root
    line = one_error_line(run_cli(*SCHEMA, "-o", "/proc/self/advisor-output.json"))
    assert "cannot write the output" in line


def test_a_socket_is_refused(tmp_path):
    import socket

    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    try:
        line = one_error_line(run_cli(*SCHEMA, "-o", path))
    finally:
        server.close()
    assert "not a regular file" in line
    assert stat.S_ISSOCK(path.stat().st_mode)


def test_a_long_run_checks_the_destination_first(tmp_path):
    scenario = Path(__file__).resolve().parents[1] / "scenarios" / "end-to-end"
    line = one_error_line(run_cli("evaluate", scenario, "-o", tmp_path))
    assert "is a folder" in line
