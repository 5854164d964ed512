from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    posts = relationship("Post", backref="author", foreign_keys="Post.user_id")
    edited = relationship("Post", backref="editor", foreign_keys="Post.editor_id")


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    title = Column(String(200))
    user_id = Column(ForeignKey("users.id"))
    editor_id = Column(ForeignKey("users.id"))

    author = None
    """The post's author (set by the backref of User.posts)."""

    editor = None  # often the same person as self.author
