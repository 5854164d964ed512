from shop.models.base import Base
from shop.models.customer import Customer
from shop.models.order import Order

__all__ = ["Base", "Customer", "Order"]
