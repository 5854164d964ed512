"""An optional plugin: installed sites import it, the core never does."""
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import relationship

from core.models import Base, User


class AuditEntry(Base):
    __tablename__ = "audit_entries"

    id = Column(Integer, primary_key=True)
    action = Column(String(50))
    user_id = Column(Integer, ForeignKey("users.id"))
    user = relationship(User, backref="audit_entries")
