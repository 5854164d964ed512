from sqlalchemy.orm import declarative_base

from app.meta import metadata

Base = declarative_base(metadata=metadata)
