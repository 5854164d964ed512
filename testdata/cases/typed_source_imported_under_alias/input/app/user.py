from typing import TYPE_CHECKING

from sqlalchemy.orm import Mapped, mapped_column

from app.base import Base

if TYPE_CHECKING:
    from app.post import Post as Article


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)

    def latest(self) -> "Article | None":
        return None
