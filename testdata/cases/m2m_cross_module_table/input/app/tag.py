"""Tags that can be attached to posts."""
from sqlalchemy import Column, Integer, String

from app.base import Base


class Tag(Base):
    __tablename__ = "tags"

    id = Column(Integer, primary_key=True)
    name = Column(String(50), unique=True, nullable=False)

    def __repr__(self):
        return "<Tag {}>".format(self.name)

    def usage_count(self):
        """How many posts carry this tag."""
        return len(self.posts)
