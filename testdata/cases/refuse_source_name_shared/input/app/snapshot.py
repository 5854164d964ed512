"""A migration's frozen copy of the models, with a registry of its own."""
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Report(Base):
    __tablename__ = "reports"
    id = sa.Column(sa.Integer, primary_key=True)
