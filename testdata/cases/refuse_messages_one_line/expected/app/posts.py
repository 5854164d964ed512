from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import backref, relationship

from app.users import Base, User


def newest_first(column):
    return column.desc()


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"))
    editor_id = Column(ForeignKey("users.id"))
    title = Column(String(200))
    author = relationship(
        User,
        foreign_keys=[user_id],
        backref=backref(
            "posts",
            order_by=[
                newest_first(title),
                id,
            ],
        ),
    )
    editor = relationship(User, foreign_keys=[editor_id], backref="__edited")
