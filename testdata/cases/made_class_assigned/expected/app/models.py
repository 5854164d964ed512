from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import relationship

from app.base import Base
from app.factory import make_model


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    name = Column(String(50))


user_labels = Table(
    "user_labels",
    Base.metadata,
    Column("user_id", ForeignKey("users.id"), primary_key=True),
    Column("label_id", ForeignKey("labels.id"), primary_key=True),
)

Tag = make_model(
    "Tag",
    {
        "__tablename__": "tags",
        "id": Column(Integer, primary_key=True),
        "user_id": Column(Integer, ForeignKey("users.id")),
    },
)
Label = make_model(
    "LabelModel",
    {
        "__tablename__": "labels",
        "id": Column(Integer, primary_key=True),
        "tag_id": Column(Integer, ForeignKey("tags.id")),
    },
)

Tag.user = relationship("User", back_populates="tags")
User.tags = relationship(Tag, back_populates="user")
Label.tag = relationship("Tag", back_populates="labels")
Tag.labels = relationship(Label, back_populates="tag", order_by="LabelModel.id")
User.labels = relationship(Label, secondary=user_labels, back_populates="users")
Label.users = relationship(User, back_populates="labels", secondary=user_labels)
