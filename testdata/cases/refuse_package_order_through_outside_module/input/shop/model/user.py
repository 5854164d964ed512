from sqlalchemy import Column, Table, types
from sqlalchemy.orm import mapper

from shop.model import meta

user_table = Table(
    "user",
    meta.metadata,
    Column("id", types.Integer, primary_key=True),
)


class User(object):
    pass


mapper(User, user_table)

from shop.model import rating  # noqa: E402, F401
