"""Blog posts."""
from sqlalchemy import Column, Integer, String, Text
from sqlalchemy.orm import relationship

from app.base import Base
from app.tables import post_tags


class Post(Base):
    __tablename__ = "posts"

    id = Column(Integer, primary_key=True)
    title = Column(String(200), nullable=False)
    body = Column(Text, default="")

    # Tags are shown under the title, in the order they were attached.
    tags = relationship("Tag", secondary=post_tags, backref="posts")

    def tag_names(self):
        """Names of the attached tags."""
        return [t.name for t in self.tags]
