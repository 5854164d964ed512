from sqlalchemy import Column, ForeignKey, Table, types
from sqlalchemy.orm import mapper, relationship

from shop.model import meta
from shop.model import user

rating_table = Table(
    "rating",
    meta.metadata,
    Column("id", types.Integer, primary_key=True),
    Column("user_id", types.Integer, ForeignKey("user.id")),
)


class Rating(object):
    pass


mapper(
    Rating,
    rating_table,
    properties={"user": relationship(user.User, back_populates="ratings")},
)
