from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table
from sqlalchemy.orm import registry, relationship

metadata = MetaData()
mapper_registry = registry(metadata=metadata)

users = Table("users", metadata, Column("id", Integer, primary_key=True))
addresses = Table(
    "addresses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id")),
)
dingalings = Table(
    "dingalings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("address_id", ForeignKey("addresses.id")),
)
menu_entries = Table(
    "menu_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id")),
    Column("dingaling_id", ForeignKey("dingalings.id")),
)


class User:
    pass


class Address:
    pass


class Dingaling:
    pass


class MenuEntry:
    pass


mapper_registry.map_imperatively(
    User,
    users,
    properties={
        "addresses": relationship(Address, backref="user"),
        "menu_entries": relationship(
            MenuEntry,
            primaryjoin=(menu_entries.c.user_id == users.c.id),
            backref="owner_of_the_entry",
        ),
    },
)
mapper_registry.map_imperatively(
    Address,
    addresses,
    properties={"dingalings": relationship(Dingaling)},
)
mapper_registry.map_imperatively(Dingaling, dingalings)
mapper_registry.map_imperatively(
    MenuEntry,
    menu_entries,
    properties=dict(dingaling=relationship(Dingaling, viewonly=True)),
)
