import sqlalchemy as sa
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import backref, relationship

from app.base import Base


def _newest_first():
    """Ordering shared by every list of posts."""
    return sa.desc(sa.literal_column("posts.id"))


class Post(Base):
    __tablename__ = "posts"

    id = Column(Integer, primary_key=True)
    title = Column(String(200))
    user_id = Column(Integer, ForeignKey("users.id"))
    editor_id = Column(Integer, ForeignKey("users.id"))

    author = relationship(
        "User",
        foreign_keys=[user_id],
        backref=backref("posts", order_by=_newest_first()),
    )
    editor = relationship(
        "User", foreign_keys=[editor_id], back_populates="edited_posts"
    )
