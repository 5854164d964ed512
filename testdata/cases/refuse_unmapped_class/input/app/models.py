from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import relationship

from app.base import Base, mapper_registry

address_table = Table(
    "addresses",
    mapper_registry.metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(100)),
)


class Address:
    pass


mapper_registry.map_imperatively(Address, address_table)


class Team(Base):
    __tablename__ = "teams"
    id = Column(Integer, primary_key=True)


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    address_id = Column(ForeignKey("addresses.id"))
    team_id = Column(ForeignKey("teams.id"))
    address = relationship(Address, backref="users")
    team = relationship("Team", backref="users")
