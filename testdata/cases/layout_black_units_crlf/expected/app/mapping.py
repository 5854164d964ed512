from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table
from sqlalchemy.orm import class_mapper, registry, relationship

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
        properties={
            "addresses": relationship(Address, back_populates="owner")
        },
    )
    mapper_registry.map_imperatively(
        Address,
        addresses,
        properties={"owner": relationship(User, back_populates="addresses")},
    )
    mapper_registry.map_imperatively(
        Order,
        orders,
        properties=dict(customer=relationship(User, back_populates="orders")),
    )
    class_mapper(User, configure=False).add_property(
        "orders", relationship(Order, back_populates="customer", lazy=None)
    )
    mapper_registry.map_imperatively(
        Item,
        items,
        properties={
            "order": relationship(
                Order, back_populates="items"
            ),  # many-to-one, o2m
        },
    )
    class_mapper(Order, configure=False).add_property(
        "items", relationship(Item, back_populates="order")
    )
    mapper_registry.map_imperatively(
        Note,
        notes,
        properties={"item": relationship(Item, back_populates="notes")},
    )
    class_mapper(Item, configure=False).add_property(
        "notes", relationship(Note, back_populates="item")
    )
