"""Alembic environment: runs migrations on the engine of the configured URL."""

from alembic import context

from ioa_assess.storage.engine import engine_for
from ioa_assess.storage.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")
engine = engine_for(url)

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    # SQLite changes a table by copying it and dropping the old one; with foreign keys on, dropping
    # a parent table (respondents, say) runs its ON DELETE actions and empties the references to
    # it. The pragma works only outside a transaction, so it is set on the driver's connection.
    if sqlite:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
    try:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=sqlite,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    finally:
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
