from sqlalchemy import Column, ForeignKey, Integer

from app.base import Base
from app.orm import backref, relationship
from app.user import User


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"))
    user = relationship(User, backref=backref("posts", lazy="dynamic"))
