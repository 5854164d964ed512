"""Relationships that span modules.

user.py and address.py do not import each other; the links between them are
attached here once both classes exist.
"""
from sqlalchemy.orm import relationship

from app.models.address import Address
from app.models.user import User

User.addresses = relationship("Address", back_populates="user", order_by=Address.id)
