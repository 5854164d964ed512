"""A shared declarative base, as a library would ship it."""
from sqlalchemy.orm import declarative_base

BASE = declarative_base()
