from sqlalchemy import Column, Integer, String, Table

from app.addresses import mapper_registry, metadata
from app.domain import User

users_table = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(50)),
)

mapper_registry.map_imperatively(User, users_table)
