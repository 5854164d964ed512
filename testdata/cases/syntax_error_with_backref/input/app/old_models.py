from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import relationship

from app.models import Base


class Comment(Base):
    __tablename__ = "comments"

    id = Column(Integer, primary_key=True)
    post_id = Column(Integer, ForeignKey("posts.id"))
    post = relationship("Post", backref="comments")

    def load(self, raw):
        try:
            return int(raw)
        except ValueError, exc:
            print "bad value", exc
