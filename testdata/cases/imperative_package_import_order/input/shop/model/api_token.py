from sqlalchemy import Column, ForeignKey, Table, orm, types

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
    properties={
        "owner": orm.relation(
            User, backref=orm.backref("api_tokens", cascade="all, delete")
        )
    },
)
