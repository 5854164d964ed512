"""Posts written by users."""
from sqlalchemy import Column, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from app.models.base import Base


class Post(Base):
    __tablename__ = "posts"

    id = Column(Integer, primary_key=True)
    title = Column(String(200), nullable=False)
    body = Column(Text)
    user_id = Column(Integer, ForeignKey("users.id"), index=True)
    author = relationship("User", back_populates="posts")

    def word_count(self):
        return len((self.body or "").split())
