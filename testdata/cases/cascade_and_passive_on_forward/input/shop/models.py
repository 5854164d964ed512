"""Orders made of positioned line items."""
from sqlalchemy import Column, ForeignKey, Integer, Numeric, String
from sqlalchemy.ext.orderinglist import ordering_list
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Order(Base):
    __tablename__ = "orders"

    id = Column(Integer, primary_key=True)
    reference = Column(String(20), unique=True, nullable=False)

    # Items belong to exactly one order and are deleted with it (the database
    # cascades the delete, hence passive_deletes). ordering_list keeps
    # Item.position in step with the list order.
    items = relationship(
        "Item",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
        order_by="Item.position",
        collection_class=ordering_list("position"),
        backref="order",
    )

    def total(self):
        return sum(item.price * item.quantity for item in self.items)


class Item(Base):
    __tablename__ = "items"

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False)
    position = Column(Integer, nullable=False)
    sku = Column(String(32), nullable=False)
    quantity = Column(Integer, default=1)
    price = Column(Numeric(10, 2), nullable=False)

    def __repr__(self):
        return "<Item {} x{}>".format(self.sku, self.quantity)
