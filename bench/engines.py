"""The two databases kbo runs on: where the benchmark keeps its databases, and how the anchors reach them.

A database is named by a short word: `cache-<key>` (a built country, kept), `work` (a copy of it that the
timed commands use), `empty` (a new, empty kbo database) or `import` (a fresh copy to import into).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from anchors import POSTGRESQL, SQLITE, Dialect
from measure import Variant

HERE = Path(__file__).resolve().parent


class SQLite:
    name = "sqlite"
    dialect: Dialect = SQLITE
    program = "sqlite3"

    def __init__(self, cache: Path, work: Path, kbo: list[str], env: dict[str, str]) -> None:
        self.cache, self.work, self.kbo, self.env = cache, work, kbo, env

    def path(self, name: str) -> Path:
        return self.cache / f"{name}.db" if name.startswith("cache-") else self.work / f"{name}.db"

    def url(self, name: str) -> str:
        return str(self.path(name))

    def exists(self, name: str) -> bool:
        return self.path(name).is_file()

    def complete(self, name: str) -> bool:
        return self.exists(name)  # keep() moves a finished build in place in one step

    def drop(self, name: str) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path(name)}{suffix}").unlink(missing_ok=True)

    def create_empty(self, name: str) -> None:
        """A new database with kbo's schema (made by kbo: `kbo db upgrade`)."""
        self.drop(name)
        subprocess.run(
            [*self.kbo, "--db", self.url(name), "db", "upgrade"], env=self.env, check=True, capture_output=True
        )

    def copy(self, source: str, name: str) -> None:
        self.drop(name)
        shutil.copyfile(self.path(source), self.path(name))

    def keep(self, built: str, name: str) -> None:
        """Make a finished build the cached database `name`."""
        self.drop(name)
        self.path(built).replace(self.path(name))

    def anchors(self, db: str, sql: Path, stdlib_sql: Path, order: str | None) -> list[Variant]:
        variants = []
        if shutil.which("sqlite3"):
            cli = [
                "sqlite3",
                "-readonly",
                "-bail",
                "-noheader",
                "-list",
                "-separator",
                ",",
                "-newline",
                "\n",
                "-nullvalue",
                "",
                self.url(db),
            ]
            variants.append(Variant("sqlite3", cli, stdin=sql))
        stdlib = [_python(), str(HERE / "stdlib_anchor.py"), self.url(db), str(stdlib_sql)]
        variants.append(Variant("stdlib", stdlib + (["--order", order] if order else [])))
        return variants

    def history_size(self, name: str) -> tuple[int, float]:
        """Rows of the history (`change`), and MB of the history tables with their indexes."""
        with sqlite3.connect(f"file:{self.path(name)}?mode=ro", uri=True) as con:
            rows = con.execute("SELECT count(*) FROM change").fetchone()[0]
            size = con.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master "
                "WHERE tbl_name IN ('change', 'change_set'))"
            ).fetchone()[0]
        return rows, (size or 0) / 2**20

    def size_mb(self, name: str) -> float:
        return self.path(name).stat().st_size / 2**20

    def describe(self) -> str:
        cli = (
            subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[:1]
            if shutil.which("sqlite3")
            else ["none"]
        )
        return f"SQLite {sqlite3.sqlite_version} (Python's), sqlite3 program {cli[0]}"


class PostgreSQL:
    """Databases on one server, `kbo_bench_<name>`; created from the cached one as a template (a fast copy)."""

    name = "postgresql"
    dialect: Dialect = POSTGRESQL
    program = "psql"

    def __init__(self, server: str, kbo: list[str], env: dict[str, str]) -> None:
        self.server, self.kbo, self.env = server, kbo, env
        if not shutil.which("psql"):
            raise SystemExit("--engine postgresql needs the psql program")

    def dbname(self, name: str) -> str:
        return "kbo_bench_" + name.replace("-", "_").replace(".", "_").lower()

    def url(self, name: str) -> str:
        parts = urlsplit(self.server)
        return urlunsplit(parts._replace(path="/" + self.dbname(name)))

    def libpq(self, url: str) -> str:
        """psql's form of a SQLAlchemy URL."""
        _scheme, rest = url.split("://", 1)
        return "postgresql://" + rest

    def sql(self, statement: str, url: str | None = None) -> str:
        proc = subprocess.run(
            [
                "psql",
                "-X",
                "-q",
                "-t",
                "-A",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                self.libpq(url or self.server),
                "-c",
                statement,
            ],
            capture_output=True,
            text=True,
        )
        if proc.returncode:
            raise SystemExit(f"psql failed: {statement}\n{proc.stderr}")
        return proc.stdout.strip()

    def exists(self, name: str) -> bool:
        return self.sql(f"SELECT count(*) FROM pg_database WHERE datname = '{self.dbname(name)}'") == "1"

    def complete(self, name: str) -> bool:
        # a cached database is complete once its comment says so (set by keep())
        return (
            self.sql(
                f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{self.dbname(name)}'"
            )
            == "kbo-bench complete"
        )

    def drop(self, name: str) -> None:
        self.sql(f'DROP DATABASE IF EXISTS "{self.dbname(name)}" WITH (FORCE)')

    def create_empty(self, name: str) -> None:
        self.drop(name)
        self.sql(f'CREATE DATABASE "{self.dbname(name)}"')
        subprocess.run(
            [*self.kbo, "--db", self.url(name), "db", "upgrade"], env=self.env, check=True, capture_output=True
        )

    def copy(self, source: str, name: str) -> None:
        self.drop(name)
        self.sql(f'CREATE DATABASE "{self.dbname(name)}" TEMPLATE "{self.dbname(source)}"')

    def keep(self, built: str, name: str) -> None:
        self.drop(name)
        self.sql(f'ALTER DATABASE "{self.dbname(built)}" RENAME TO "{self.dbname(name)}"')
        self.sql(f"COMMENT ON DATABASE \"{self.dbname(name)}\" IS 'kbo-bench complete'")
        self.sql("VACUUM ANALYZE", self.url(name))

    def anchors(self, db: str, sql: Path, stdlib_sql: Path, order: str | None) -> list[Variant]:
        return [
            Variant(
                "psql",
                [
                    "psql",
                    "-X",
                    "-q",
                    "-t",
                    "-A",
                    "-F",
                    ",",
                    "-P",
                    "footer=off",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-d",
                    self.libpq(self.url(db)),
                    "-f",
                    str(sql),
                ],
            )
        ]

    def history_size(self, name: str) -> tuple[int, float]:
        url = self.url(name)
        rows = int(self.sql("SELECT count(*) FROM change", url))
        size = int(self.sql("SELECT pg_total_relation_size('change') + pg_total_relation_size('change_set')", url))
        return rows, size / 2**20

    def size_mb(self, name: str) -> float:
        return int(self.sql(f"SELECT pg_database_size('{self.dbname(name)}')")) / 2**20

    def describe(self) -> str:
        client = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
        return f"PostgreSQL {self.sql('SHOW server_version')} (server), {client}"


def _python() -> str:
    import sys

    return sys.executable
