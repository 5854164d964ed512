from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class User(Base):
  __tablename__ = "users"
  id = Column(Integer, primary_key=True)
  posts = relationship(
    "Post", back_populates="author", lazy="selectin", order_by="Post.id, Post.user_id"
  )


class Post(Base):
  __tablename__ = "posts"
  id = Column(Integer, primary_key=True)
  user_id = Column(Integer, ForeignKey("users.id"))
  author = relationship("User", back_populates="posts")
