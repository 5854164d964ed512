"""Model factories: each call builds a fresh registry with its own classes."""
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship


def build_models():
    Base = declarative_base()

    class User(Base):
        __tablename__ = "users"

        id = Column(Integer, primary_key=True)
        name = Column(String(50))
        addresses = relationship(
            "Address", back_populates="user", order_by="Address.id"
        )

    class Address(Base):
        __tablename__ = "addresses"

        id = Column(Integer, primary_key=True)
        email = Column(String(100))
        user_id = Column(Integer, ForeignKey("users.id"))
        user = relationship("User", back_populates="addresses")

    return Base, User, Address


def build_legacy_models():
    """The old schema, kept for the migration scripts."""
    Base = declarative_base()

    class User(Base):
        __tablename__ = "legacy_users"

        id = Column(Integer, primary_key=True)
        accounts = relationship("Account", back_populates="owner", lazy="joined")

    class Account(Base):
        __tablename__ = "legacy_accounts"

        id = Column(Integer, primary_key=True)
        user_id = Column(Integer, ForeignKey("legacy_users.id"))
        owner = relationship(User, back_populates="accounts")

        def describe(self):
            return f"account {self.id}"

    return Base, User, Account


Base, User, Address = build_models()
LegacyBase, LegacyUser, Account = build_legacy_models()
