from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Party(Base):
    __tablename__ = "parties"

    id = Column(Integer, primary_key=True)
    kind = Column(String(20))

    __mapper_args__ = {"polymorphic_on": kind, "polymorphic_identity": "party"}


class Company(Party):
    addresses = relationship(
        "Address", back_populates="company", foreign_keys="[Address.company_id]"
    )


class Person(Party):
    """A natural person."""

    homes = relationship(
        "Address", back_populates="person", foreign_keys="[Address.person_id]"
    )


class Address(Base):
    __tablename__ = "addresses"

    id = Column(Integer, primary_key=True)
    street = Column(String(100))
    city = Column(String(50))
    company_id = Column(Integer, ForeignKey("parties.id"))
    person_id = Column(Integer, ForeignKey("parties.id"))

    company = relationship(
        "Company", foreign_keys=[company_id], back_populates="addresses"
    )
    person = relationship("Person", foreign_keys=[person_id], back_populates="homes")
