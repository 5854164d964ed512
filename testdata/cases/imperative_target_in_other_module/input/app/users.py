from sqlalchemy import Column, Integer, MetaData, String, Table
from sqlalchemy.orm import registry

from app.domain import User

metadata = MetaData()
mapper_registry = registry(metadata=metadata)

users_table = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(50)),
)

mapper_registry.map_imperatively(User, users_table)
