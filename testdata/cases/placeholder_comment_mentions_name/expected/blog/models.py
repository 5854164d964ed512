from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    posts = relationship("Post", back_populates="author", foreign_keys="Post.user_id")
    edited = relationship(
        "Post", back_populates="editor", foreign_keys="Post.editor_id"
    )


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    title = Column(String(200))
    user_id = Column(ForeignKey("users.id"))
    editor_id = Column(ForeignKey("users.id"))

    author = relationship("User", back_populates="posts", foreign_keys="Post.user_id")
    """The post's author (set by the backref of User.posts)."""

    editor = relationship(
        "User", back_populates="edited", foreign_keys="Post.editor_id"
    )
