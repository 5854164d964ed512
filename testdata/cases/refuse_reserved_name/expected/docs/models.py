"""Documents and their key/value metadata records."""
from sqlalchemy import Column, ForeignKey, Integer, String, Text
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Document(Base):
    __tablename__ = "documents"

    id = Column(Integer, primary_key=True)
    title = Column(String(200), nullable=False)
    content = Column(Text)


class DocumentMeta(Base):
    """One key/value pair describing a document."""

    __tablename__ = "document_meta"

    id = Column(Integer, primary_key=True)
    document_id = Column(Integer, ForeignKey("documents.id"), nullable=False)
    key = Column(String(64), nullable=False)
    value = Column(String(255))

    # Reachable as Document.metadata (a list of DocumentMeta rows).
    document = relationship("Document", backref="metadata")
