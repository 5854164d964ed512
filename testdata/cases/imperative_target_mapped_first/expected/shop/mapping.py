from sqlalchemy import Column, ForeignKey, Integer, Table, func, select
from sqlalchemy.orm import aliased, class_mapper, registry, relationship

reg = registry()

users = Table("users", reg.metadata, Column("id", Integer, primary_key=True))
orders = Table(
    "orders",
    reg.metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id")),
)


class User:
    pass


class Order:
    pass


latest_ids = (
    select(func.max(orders.c.id).label("order_id")).group_by(orders.c.user_id).alias("latest_ids")
)
latest_orders = orders.select().where(orders.c.id == latest_ids.c.order_id).alias("latest_orders")

reg.map_imperatively(Order, orders)
reg.map_imperatively(
    User,
    users,
    properties={
        "orders": relationship(Order, back_populates="user", order_by=orders.c.id),
        "latest_order": relationship(
            aliased(Order, latest_orders), viewonly=True, uselist=False
        ),
    },
)
class_mapper(Order, configure=False).add_property(
    "user", relationship(User, back_populates="orders")
)
