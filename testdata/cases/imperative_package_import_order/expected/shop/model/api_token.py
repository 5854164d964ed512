from sqlalchemy import Column, ForeignKey, Table, orm, types
from sqlalchemy.orm import class_mapper

from shop.model import DomainObject, User, meta

api_token_table = Table(
    "api_token",
    meta.metadata,
    Column("id", types.UnicodeText, primary_key=True),
    Column("user_id", types.Integer, ForeignKey("user.id")),
)


class ApiToken(DomainObject):
    pass


meta.mapper(
    ApiToken,
    api_token_table,
    properties={"owner": orm.relation(User, back_populates="api_tokens")},
)
class_mapper(User, configure=False).add_property(
    "api_tokens",
    orm.relationship(ApiToken, back_populates="owner", cascade="all, delete"),
)
