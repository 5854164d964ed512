"""The same class names mapped in two functions, each with a registry of its own."""
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table
from sqlalchemy.orm import registry, relationship


def map_drafts(reg):
    users = Table("users", reg.metadata, Column("id", Integer, primary_key=True))
    addresses = Table(
        "addresses",
        reg.metadata,
        Column("id", Integer, primary_key=True),
        Column("user_id", ForeignKey("users.id")),
    )

    class User:
        pass

    class Address:
        pass

    reg.map_imperatively(User, users, properties={"addresses": relationship(Address)})
    reg.map_imperatively(Address, addresses, properties={"note": addresses.c.user_id})
    return User, Address


def map_live(reg):
    users = Table(
        "users",
        reg.metadata,
        Column("id", Integer, primary_key=True),
        Column("name", String(50)),
    )
    addresses = Table(
        "addresses",
        reg.metadata,
        Column("id", Integer, primary_key=True),
        Column("user_id", ForeignKey("users.id")),
    )

    class User:
        pass

    class Address:
        pass

    reg.map_imperatively(
        User,
        users,
        properties={"addresses": relationship(Address, back_populates="user")},
    )
    reg.map_imperatively(
        Address,
        addresses,
        properties={
            "email": addresses.c.id,
            "user": relationship(User, back_populates="addresses"),
        },
    )
    return User, Address


DraftUser, DraftAddress = map_drafts(registry(metadata=MetaData()))
User, Address = map_live(registry(metadata=MetaData()))
