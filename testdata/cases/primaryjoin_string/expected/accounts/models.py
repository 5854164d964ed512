from sqlalchemy import Boolean, Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    name = Column(String(80))

    # Only addresses that are still in use.
    addresses = relationship(
        "Address",
        primaryjoin="and_(User.id == Address.user_id, Address.active == True)",
        back_populates="user",
    )


class Address(Base):
    __tablename__ = "addresses"

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    email = Column(String(120), nullable=False)
    active = Column(Boolean, default=True, nullable=False)
    user = relationship(
        "User",
        back_populates="addresses",
        primaryjoin="and_(User.id == Address.user_id, Address.active == True)",
    )

    def deactivate(self):
        self.active = False
