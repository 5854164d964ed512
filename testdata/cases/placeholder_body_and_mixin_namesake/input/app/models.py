from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Party(Base):
    __tablename__ = "parties"

    id = Column(Integer, primary_key=True)
    kind = Column(String(20))

    __mapper_args__ = {"polymorphic_on": kind, "polymorphic_identity": "party"}


class Company(Party):
    pass


class Person(Party):
    """A natural person."""

    ...


class Address(Base):
    __tablename__ = "addresses"

    id = Column(Integer, primary_key=True)
    street = Column(String(100))
    city = Column(String(50))
    company_id = Column(Integer, ForeignKey("parties.id"))
    person_id = Column(Integer, ForeignKey("parties.id"))

    company = relationship("Company", foreign_keys=[company_id], backref="addresses")
    person = relationship("Person", foreign_keys=[person_id], backref="homes")
