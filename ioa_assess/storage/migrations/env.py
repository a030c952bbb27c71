"""Alembic environment: runs migrations on the engine of the configured URL."""

from alembic import context

from ioa_assess.storage.engine import engine_for
from ioa_assess.storage.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")
engine = engine_for(url)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
