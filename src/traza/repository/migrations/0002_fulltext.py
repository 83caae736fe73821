"""The full-text index beside SearchEntry: a generated, GIN-indexed tsvector with an
accent-folding Spanish configuration on PostgreSQL; an FTS5 table kept by triggers on SQLite."""

from django.db import migrations

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'traza_es') THEN
            CREATE TEXT SEARCH CONFIGURATION traza_es (COPY = spanish);
            ALTER TEXT SEARCH CONFIGURATION traza_es
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
        END IF;
    END $$""",
    """ALTER TABLE repository_searchentry ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('traza_es'::regconfig, coalesce(keywords, '')), 'A')
        || setweight(to_tsvector('traza_es'::regconfig, coalesce(title, '')), 'B')
        || setweight(to_tsvector('traza_es'::regconfig, coalesce(body, '')), 'C')
    ) STORED""",
    "CREATE INDEX repository_searchentry_vector ON repository_searchentry USING gin (vector)",
]

SQLITE = [
    """CREATE VIRTUAL TABLE repository_searchfts USING fts5(
        title, keywords, body, content='repository_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER repository_searchentry_ai AFTER INSERT ON repository_searchentry BEGIN
        INSERT INTO repository_searchfts(rowid, title, keywords, body)
        VALUES (new.id, new.title, new.keywords, new.body);
    END""",
    """CREATE TRIGGER repository_searchentry_ad AFTER DELETE ON repository_searchentry BEGIN
        INSERT INTO repository_searchfts(repository_searchfts, rowid, title, keywords, body)
        VALUES ('delete', old.id, old.title, old.keywords, old.body);
    END""",
    """CREATE TRIGGER repository_searchentry_au AFTER UPDATE ON repository_searchentry BEGIN
        INSERT INTO repository_searchfts(repository_searchfts, rowid, title, keywords, body)
        VALUES ('delete', old.id, old.title, old.keywords, old.body);
        INSERT INTO repository_searchfts(rowid, title, keywords, body)
        VALUES (new.id, new.title, new.keywords, new.body);
    END""",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRES, "sqlite": SQLITE}.get(vendor, []):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in ("ai", "ad", "au"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS repository_searchentry_{name}")
        schema_editor.execute("DROP TABLE IF EXISTS repository_searchfts")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE repository_searchentry DROP COLUMN IF EXISTS vector")


class Migration(migrations.Migration):
    dependencies = [("repository", "0001_initial")]
    # run "traza reindex" after upgrading an existing database

    operations = [
        migrations.RunPython(forward, backward),
    ]
