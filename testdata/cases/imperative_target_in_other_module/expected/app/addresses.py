from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import class_mapper, relationship

from app.domain import Address, User
from app.users import mapper_registry, metadata

addresses_table = Table(
    "addresses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id")),
    Column("email", String(120)),
)

mapper_registry.map_imperatively(
    Address,
    addresses_table,
    properties={
        "user": relationship(User, back_populates="addresses"),
    },
)
class_mapper(User, configure=False).add_property(
    "addresses",
    relationship(Address, back_populates="user", order_by=addresses_table.c.email),
)
