"""pg_trgm, where the PostgreSQL server ships it.

Debian's and the official PostgreSQL packages include pg_trgm; a minimal build
(pgserver's wheel, which `dev.py` uses when no PostgreSQL is configured) does not.
Without it the trigram indexes are left out and the searches read the table, as
they do on SQLite: slower on large catalogues, the same rows.
"""


def trigram_available(connection) -> bool:
    """Tell whether pg_trgm is installed in the database, or can be."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        return cursor.fetchone() is not None


def trigram_enable(schema_editor) -> bool:
    """Create pg_trgm if the server ships it; return whether it is there."""
    if not trigram_available(schema_editor.connection):
        return False
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    return True
