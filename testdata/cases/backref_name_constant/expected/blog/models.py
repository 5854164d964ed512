"""Blog models.

The backref names are shared with the serializers, which look the
attributes up by name.
"""
from sqlalchemy import Column, ForeignKey, Integer, String, Text
from sqlalchemy.orm import backref, declarative_base, relationship

Base = declarative_base()

# Attribute names used by the API layer as well.
AUTHOR_BACKREF = "author"
POSTS_NAME = "posts"


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), unique=True, nullable=False)

    written = relationship("Post", back_populates=AUTHOR_BACKREF)

    def post_count(self):
        return len(self.written)


class Category(Base):
    __tablename__ = "categories"

    id = Column(Integer, primary_key=True)
    name = Column(String(50), unique=True, nullable=False)
    posts = relationship("Post", back_populates="category", lazy="select")

    def is_empty(self):
        return not getattr(self, POSTS_NAME)


class Post(Base):
    __tablename__ = "posts"

    id = Column(Integer, primary_key=True)
    title = Column(String(200), nullable=False)
    body = Column(Text)
    user_id = Column(Integer, ForeignKey("users.id"))
    category_id = Column(Integer, ForeignKey("categories.id"))

    category = relationship("Category", back_populates=POSTS_NAME)
    author = relationship("User", back_populates="written")
