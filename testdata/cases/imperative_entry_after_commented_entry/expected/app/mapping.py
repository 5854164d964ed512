from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table
from sqlalchemy.orm import class_mapper, registry, relationship

reg = registry()
metadata = MetaData()
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String),
)
posts = Table(
    "posts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id")),
)
notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("post_id", Integer, ForeignKey("posts.id")),
)


class User:
    pass


class Post:
    pass


class Note:
    pass


reg.map_imperatively(
    Post, posts, properties={"author": relationship(User, back_populates="posts")}
)
reg.map_imperatively(
    Note, notes, properties=dict(post=relationship(Post, back_populates="notes"))
)
class_mapper(Post, configure=False).add_property(
    "notes", relationship(Note, back_populates="post")
)
reg.map_imperatively(
    User,
    users,
    properties={
        "name_": users.c.name,  # deprecated alias, remove in 3.0
        "posts": relationship(Post, back_populates="author"),
    },
)
