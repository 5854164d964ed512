from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import relationship

from app.auth import User
from app.core import make_model

Tag = make_model(
    "Tag",
    {
        "__tablename__": "tags",
        "id": Column(Integer, primary_key=True),
        "user_id": Column(ForeignKey("users.id")),
    },
)
Tag.user = relationship("User", backref="tags")


def login_of(user: User) -> str:
    return user.login
