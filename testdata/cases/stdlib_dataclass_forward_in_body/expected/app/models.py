import dataclasses
from typing import Optional

from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import registry, relationship

mapper_registry = registry()


@mapper_registry.mapped
@dataclasses.dataclass
class User:
    __table__ = Table(
        "users",
        mapper_registry.metadata,
        Column("id", Integer, primary_key=True),
    )

    id: int = dataclasses.field(init=False)
    addresses = relationship("Address", back_populates="user")  # not a dataclass field: no annotation


@mapper_registry.mapped
@dataclasses.dataclass
class Address:
    __table__ = Table(
        "addresses",
        mapper_registry.metadata,
        Column("id", Integer, primary_key=True),
        Column("user_id", ForeignKey("users.id")),
        Column("email", String(50)),
    )

    id: int = dataclasses.field(init=False)
    user_id: Optional[int] = None
    email: str = ""
    user = relationship("User", back_populates="addresses")
