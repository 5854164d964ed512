from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import backref, relationship

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
        "user": relationship(
            User, backref=backref("addresses", order_by=addresses_table.c.email)
        ),
    },
)
