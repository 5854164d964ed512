from sqlalchemy import Column, Integer
from sqlalchemy.orm import relationship

from app.base import Base

desc = "a user of the site"


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    posts = relationship("Post", back_populates="user", order_by="desc(Post.created)")
