from typing import Any, List, Optional

from sqlalchemy.orm import DeclarativeMeta

Base: DeclarativeMeta

class User(Base):
    __tablename__: str
    id: int
    name: Optional[str]
    posts: List[Post]
    def __init__(self, **kwargs: Any) -> None: ...

class Post(Base):
    __tablename__: str
    id: int
    title: Optional[str]
    user_id: Optional[int]
    author: Optional[User]
    def __init__(self, **kwargs: Any) -> None: ...
