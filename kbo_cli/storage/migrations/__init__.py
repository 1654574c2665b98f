"""Alembic migrations, shipped inside the package.

`HEAD` is the newest revision; `kbo_cli.storage.db` compares it with the database's `alembic_version` without
importing Alembic, so that opening an up-to-date database stays cheap. `tests/test_database.py`
checks that it matches the newest file in `versions/`.
"""

HEAD = "0008"
