"""Models of a small shop, written with implicit backrefs."""
from shop.models.base import Base
from shop.models.catalog import Category, Product, product_tags, Tag
from shop.models.customer import Customer
from shop.models.order import Order, OrderLine

__all__ = ["Base", "Category", "Customer", "Order", "OrderLine", "Product", "Tag", "product_tags"]
