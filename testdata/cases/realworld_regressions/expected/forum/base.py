import os

from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table
from sqlalchemy.orm import declarative_base

metadata = MetaData()
Base = declarative_base(metadata=metadata)

# Forum moderators: an association table named like the attribute that uses it.
moderators = Table(
    "moderators",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id")),
    Column("forum_id", Integer, ForeignKey("forums.id")),
)

LEGACY_BADGES = os.environ.get("FORUM_LEGACY_BADGES") == "1"
