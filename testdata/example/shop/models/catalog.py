from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import backref, relationship

from shop.models.base import Base

product_tags = Table(
    "product_tags",
    Base.metadata,
    Column("product_id", ForeignKey("products.id"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id"), primary_key=True),
)


class Category(Base):
    __tablename__ = "categories"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    parent_id = Column(Integer, ForeignKey("categories.id"))

    # A tree of categories: the backref's remote_side names this class's own id.
    children = relationship("Category", backref=backref("parent", remote_side=[id]))


class Product(Base):
    __tablename__ = "products"

    id = Column(Integer, primary_key=True)
    sku = Column(String(40), unique=True, nullable=False)
    category_id = Column(Integer, ForeignKey("categories.id"))

    category = relationship(Category, backref="products")
    tags = relationship("Tag", secondary=product_tags, backref="products")


class Tag(Base):
    __tablename__ = "tags"

    id = Column(Integer, primary_key=True)
    label = Column(String(50), unique=True)
