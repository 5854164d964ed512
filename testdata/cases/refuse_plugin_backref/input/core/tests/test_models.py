from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import relationship

from core.models import Base, User


class FakeToken(Base):
    """A model that exists only while the tests run."""

    __tablename__ = "fake_tokens"

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    user = relationship(User, backref="fake_tokens")


def test_token_owner():
    assert FakeToken.user.property.mapper.class_ is User
