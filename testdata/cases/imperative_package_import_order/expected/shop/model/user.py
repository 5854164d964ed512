from sqlalchemy import Column, Table, types

from shop.common import CONFIG
from shop.model import domain_object, meta

user_table = Table(
    "user",
    meta.metadata,
    Column("id", types.Integer, primary_key=True),
    Column("name", types.UnicodeText),
)


class User(domain_object.DomainObject):
    debug = CONFIG["debug"]


meta.mapper(User, user_table)
