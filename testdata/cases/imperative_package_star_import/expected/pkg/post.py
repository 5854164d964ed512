from sqlalchemy import Column, ForeignKey, Integer, Table
from sqlalchemy.orm import class_mapper, mapper, relationship

from . import meta
from . import user

post_table = Table(
    "post",
    meta.metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("user.id")),
)


class Post(object):
    pass


mapper(Post, post_table, properties={"author": relationship(user.User, back_populates="posts")})
class_mapper(user.User, configure=False).add_property(
    "posts", relationship(Post, back_populates="author")
)
