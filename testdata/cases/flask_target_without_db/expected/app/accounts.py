from sqlalchemy.orm import relationship

from app.base import Column, Integer, Model, String


class User(Model):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    comments = relationship("Comment", back_populates="author", order_by="Comment.id")
