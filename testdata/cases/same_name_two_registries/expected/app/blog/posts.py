"""Posts refer to tags by name only, to avoid importing the tags module."""
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import relationship

from app.blog.base import Base


class Post(Base):
    __tablename__ = "posts"

    id = Column(Integer, primary_key=True)
    title = Column(String(200))

    tags = relationship("Tag", back_populates="post")
