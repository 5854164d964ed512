from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table
from sqlalchemy.orm import backref, registry, relationship

reg = registry()
metadata = MetaData()
users = Table("users", metadata, Column("id", Integer, primary_key=True))
posts = Table(
  "posts",
  metadata,
  Column("id", Integer, primary_key=True),
  Column("user_id", Integer, ForeignKey("users.id")),
)


class User:
  pass


class Post:
  pass


reg.map_imperatively(
  Post,
  posts,
  properties={
    "author": relationship(
      User, backref=backref("posts", lazy="selectin", cascade="all, delete-orphan")
    )
  },
)
reg.map_imperatively(User, users, properties={})
