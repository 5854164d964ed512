"""Tags that can be attached to posts."""
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import relationship

from app.base import Base


class Tag(Base):
    __tablename__ = "tags"

    id = Column(Integer, primary_key=True)
    name = Column(String(50), unique=True, nullable=False)
    posts = relationship("Post", back_populates="tags", secondary="post_tags")

    def __repr__(self):
        return "<Tag {}>".format(self.name)

    def usage_count(self):
        """How many posts carry this tag."""
        return len(self.posts)
