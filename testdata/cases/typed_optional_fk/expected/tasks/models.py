"""Tasks that may or may not be assigned to someone."""
from typing import List, Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))

    # Tasks currently assigned to this user.
    tasks: Mapped[List["Task"]] = relationship(back_populates="assignee")


class Task(Base):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    done: Mapped[bool] = mapped_column(default=False)
    # Unassigned tasks have no user.
    assignee_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    assignee: Mapped[Optional["User"]] = relationship(back_populates="tasks")

    def is_assigned(self) -> bool:
        return self.assignee_id is not None
