from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table
from sqlalchemy.orm import registry, relationship

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
  properties={"author": relationship(User, back_populates="posts")},
)
reg.map_imperatively(
  User,
  users,
  properties={
    "posts": relationship(
      Post, back_populates="author", lazy="selectin", cascade="all, delete-orphan"
    ),
  },
)
