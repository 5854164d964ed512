"""Project-wide defaults for relationships."""
from sqlalchemy import orm
from sqlalchemy.orm import declarative_base

Base = declarative_base()


def relationship(*args, **kwargs):
    kwargs.setdefault("lazy", "selectin")
    kwargs.setdefault("cascade", "all, delete-orphan")
    return orm.relationship(*args, **kwargs)
