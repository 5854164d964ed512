from sqlalchemy import Column, ForeignKey, Integer, Table
from sqlalchemy.orm import mapper, relationship

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


mapper(Post, post_table, properties={"author": relationship(user.User, backref="posts")})


del Post
