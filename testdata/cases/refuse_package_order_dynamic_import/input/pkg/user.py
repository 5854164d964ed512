from sqlalchemy import Column, Integer, Table
from sqlalchemy.orm import mapper

from . import meta

user_table = Table("user", meta.metadata, Column("id", Integer, primary_key=True))


class User(object):
    pass


from . import post  # noqa: E402

mapper(User, user_table)
