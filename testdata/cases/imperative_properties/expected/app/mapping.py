"""Imperative mapping of the domain classes onto tables."""
from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import registry, relationship

from app.domain import Address, User

mapper_registry = registry()

users_table = Table(
    "users",
    mapper_registry.metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(50), nullable=False),
    Column("fullname", String(100)),
)

addresses_table = Table(
    "addresses",
    mapper_registry.metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id")),
    Column("email_address", String(120), nullable=False),
)

mapper_registry.map_imperatively(
    User,
    users_table,
    properties={
        # Addresses are listed in insertion order.
        "addresses": relationship(Address, back_populates="user", order_by=addresses_table.c.id),
    },
)
mapper_registry.map_imperatively(
    Address,
    addresses_table,
    properties={"user": relationship(User, back_populates="addresses")},
)
