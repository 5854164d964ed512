from sqlalchemy import Column, Table, types
from sqlalchemy.orm import mapper, relationship

from shop.model import meta

user_table = Table(
    "user",
    meta.metadata,
    Column("id", types.Integer, primary_key=True),
)


class User(object):
    pass


# Runs the rating module while User is defined but not mapped yet.
from shop.model import rating  # noqa: E402

mapper(
    User,
    user_table,
    properties={"ratings": relationship(rating.Rating, back_populates="user")},
)
