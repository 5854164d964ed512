from sqlalchemy import Column, DateTime, ForeignKey, Integer, desc
from sqlalchemy.orm import backref, relationship

from app.base import Base
from app.user import User


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    created = Column(DateTime)
    user_id = Column(ForeignKey("users.id"))
    user = relationship(User, backref=backref("posts", order_by=desc(created)))
