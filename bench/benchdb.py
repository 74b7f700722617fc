"""The fresh database every database benchmark starts from (shared by bench_import and bench_assessments).

SQLite runs in a new temporary data directory. For PostgreSQL the database named
in DATABASE_URL is dropped and created anew: never point it at real data.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def fresh_database() -> str:
    """Make the empty database, set up Django on it and migrate; returns what it is ("PostgreSQL 15.20 …")."""
    url = os.environ.get("DATABASE_URL", "")
    os.environ["JICENG_DATA_DIR"] = tempfile.mkdtemp(prefix="jiceng-bench-")
    if not url.startswith("postgres"):
        os.environ.pop("DATABASE_URL", None)
        described = "SQLite"
    else:
        import psycopg
        from psycopg import sql

        base, name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            version = conn.execute("SHOW server_version").fetchone()[0]
        described = f"PostgreSQL {version}"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiceng.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return described
