"""Private Redis and PostgreSQL servers for the tests: Debian's binaries (redis-server,
postgresql; `.ci/run` installs them), started in a temporary folder on an ephemeral loopback
port and stopped afterwards. Nothing else on the machine is touched.

A missing binary is a failure that says what to install, never a silent skip: CI must run
these tests. A developer without the packages may set CROSSTALK_TESTS_WITHOUT_SERVERS=1 to
skip them (each skip is then listed by pytest's -ra summary).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

OPT_OUT = "CROSSTALK_TESTS_WITHOUT_SERVERS"
INSTALL = "apt-get install redis-server postgresql (what .ci/run does)"


def missing(what: str) -> None:
    message = f"{what} is not installed: {INSTALL}"
    if os.environ.get(OPT_OUT) == "1":
        pytest.skip(message)
    pytest.fail(message + f"; or set {OPT_OUT}=1 to skip these tests", pytrace=False)


OWNER = "owner.pid"
"""In each server's folder: the test process that started it. A test session that is killed
(not stopped) leaves its servers running; the next session stops those whose owner is gone."""


def _claim(folder: Path) -> None:
    (folder / OWNER).write_text(str(os.getpid()))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap_orphans() -> None:
    """Stop and remove the servers of test sessions that died without stopping them."""
    for folder in Path(tempfile.gettempdir()).glob("crosstalk-*-*"):
        try:
            owner = int((folder / OWNER).read_text())
        except (OSError, ValueError):
            continue
        if _alive(owner):
            continue
        pidfile = folder / "data" / "postmaster.pid"
        redis_pid = folder / "redis.pid"
        for path, sig in ((pidfile, signal.SIGQUIT), (redis_pid, signal.SIGTERM)):
            with contextlib.suppress(OSError, ValueError, IndexError):
                os.kill(int(path.read_text().split()[0]), sig)
        shutil.rmtree(folder, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(ready: object, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not start within {timeout:.0f} s")


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@dataclass
class RedisServer:
    port: int = 0
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="crosstalk-redis-")))
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server")
        if binary is None:
            missing("redis-server")
        self.port = self.port or free_port()
        argv = [binary or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        argv += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        argv += ["--pidfile", str(self.folder / "redis.pid")]
        reap_orphans()
        _claim(self.folder)
        self.proc = subprocess.Popen(
            argv,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: answers(self.port), "redis-server")
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def _pg_bin(name: str) -> str:
    versioned = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    found = versioned[0] if versioned else shutil.which(name)
    if found is None:
        missing("PostgreSQL (initdb, pg_ctl)")
    return found or name


@dataclass
class PostgresServer:
    """A cluster of its own, owned by the `postgres` user when the tests run as root (the
    server refuses to run as root)."""

    port: int = 0
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="crosstalk-pg-")))
    databases: int = 0

    def _as_owner(self, argv: list[str]) -> list[str]:
        if os.geteuid() != 0:
            return argv
        return ["runuser", "-u", "postgres", "--", *argv]

    def start(self) -> PostgresServer:
        initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        self.port = self.port or free_port()
        reap_orphans()
        _claim(self.folder)
        data = self.folder / "data"
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
        if not data.exists():
            argv = [initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "--no-sync"]
            subprocess.run(
                self._as_owner([*argv, "-E", "UTF8", "--locale=C"]),
                check=True,
                capture_output=True,
            )
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        argv = [pg_ctl, "-D", str(data), "-o", options, "-w", "-t", "60"]
        subprocess.run(
            self._as_owner([*argv, "-l", str(self.folder / "log"), "start"]),
            check=True,
            capture_output=True,
        )
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; returns its URL."""
        self.databases += 1
        name = f"t{self.databases}"
        argv = [_pg_bin("psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        subprocess.run(
            [*argv, "-q", "-c", f"CREATE DATABASE {name}"],
            check=True,
            capture_output=True,
        )
        return self.url(name)

    def stop(self, mode: str = "fast") -> None:
        argv = [_pg_bin("pg_ctl"), "-D", str(self.folder / "data"), "-m", mode, "-w", "stop"]
        subprocess.run(
            self._as_owner(argv),
            capture_output=True,
        )

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


def kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
