"""A shared declarative base, as a library would ship it."""
from sqlalchemy import Column, String
from sqlalchemy.orm import declarative_base, declared_attr


class _Base:
    @declared_attr
    def __tablename__(cls):
        return cls.__name__.lower() + "s"


BASEV2 = declarative_base(cls=_Base)


class HasProject:
    project_id = Column(String(255), index=True)
