from sqlalchemy import Column, DateTime, ForeignKey, Integer
from sqlalchemy.orm import relationship

from app.base import Base
from app.user import User


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    created = Column(DateTime)
    user_id = Column(ForeignKey("users.id"))
    user = relationship(User, back_populates="posts")
