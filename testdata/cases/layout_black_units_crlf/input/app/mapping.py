from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table
from sqlalchemy.orm import backref, registry, relationship

metadata = MetaData()
mapper_registry = registry(metadata=metadata)

users = Table("users", metadata, Column("id", Integer, primary_key=True))
addresses = Table(
    "addresses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id")),
)
orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id")),
)
items = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", ForeignKey("orders.id")),
)
notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", ForeignKey("items.id")),
)


class User:
    pass


class Address:
    pass


class Order:
    pass


class Item:
    pass


class Note:
    pass


def setup_mappers():
    mapper_registry.map_imperatively(
        User,
        users,
        properties={"addresses": relationship(Address, backref="owner")},
    )
    mapper_registry.map_imperatively(Address, addresses)
    mapper_registry.map_imperatively(
        Order,
        orders,
        properties=dict(
            customer=relationship(User, backref=backref("orders", lazy=None))
        ),
    )
    mapper_registry.map_imperatively(
        Item,
        items,
        properties={
            "order": relationship(Order, backref="items"),  # many-to-one, o2m
        },
    )
    mapper_registry.map_imperatively(
        Note, notes, properties={"item": relationship(Item, backref="notes")}
    )
