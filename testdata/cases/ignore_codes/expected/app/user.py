from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import relationship

from app.base import Base


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    name = Column(String(80))
    edited_posts = relationship(
        "Post", back_populates="editor", foreign_keys="[Post.editor_id]"
    )
