from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    name = Column(String(80))
    addresses = relationship("Address", back_populates="user", order_by="Address.id")

    def primary_email(self):
        return self.addresses[0].email if self.addresses else None


class Address(Base):
    __tablename__ = "addresses"

    id = Column(Integer, primary_key=True)
    email = Column(String(120), nullable=False)
    user_id = Column(Integer, ForeignKey("users.id"))

    # Addresses are listed oldest first (by primary key).
    user = relationship("User", back_populates="addresses")
