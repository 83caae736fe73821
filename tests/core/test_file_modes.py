"""What holds personal data on disk is readable only by the account Traza runs as: the
SQLite database (and its WAL files) and the var/ folder."""

import os
import stat
import subprocess
import sys

from django.db.utils import ConnectionHandler


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_sqlite_database_and_its_journal_are_private(tmp_path, django_db_blocker):
    path = tmp_path / "traza.sqlite3"
    previous = os.umask(0o022)  # the usual umask: new files world-readable
    try:
        connection = ConnectionHandler(
            {
                "default": {
                    "ENGINE": "django.db.backends.sqlite3",
                    "NAME": str(path),
                    "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;"},
                }
            }
        )["default"]
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("CREATE TABLE person (email TEXT)")
            cursor.execute("INSERT INTO person VALUES ('ana@example.org')")
            files = {p.name: mode(p) for p in tmp_path.iterdir()}
            connection.close()
    finally:
        os.umask(previous)
    assert "traza.sqlite3" in files and "traza.sqlite3-wal" in files
    assert set(files.values()) == {0o600}, files


def test_an_older_world_readable_database_is_made_private_when_traza_opens_it(
    tmp_path, django_db_blocker
):
    path = tmp_path / "old.sqlite3"
    path.touch()
    path.chmod(0o644)
    connection = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}}
    )["default"]
    with django_db_blocker.unblock():
        connection.ensure_connection()
        connection.close()
    assert mode(path) == 0o600


def test_the_var_folder_is_created_private(tmp_path):
    var = tmp_path / "new" / "var"
    env = {**os.environ, "TRAZA_VAR_DIR": str(var)}
    env.pop("SECRET_KEY", None)
    subprocess.run(
        [sys.executable, "-c", "import os; os.umask(0o022); import traza.settings"],
        env=env,
        check=True,
    )
    assert mode(var) == 0o700
    assert mode(var / "secret_key") == 0o600
