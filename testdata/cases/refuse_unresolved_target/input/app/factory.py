"""Models built per test from the classes a caller passes in (as pytest fixtures do)."""
from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import relationship


def make_post_model(Base, User):
    class Post(Base):
        __tablename__ = "posts"

        id = Column(Integer, primary_key=True)
        user_id = Column(ForeignKey("users.id"))
        author = relationship(User, backref="posts")

    return Post
