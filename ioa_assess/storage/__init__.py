"""Storage: SQLAlchemy 2 models, one engine per database URL, Alembic migrations."""
