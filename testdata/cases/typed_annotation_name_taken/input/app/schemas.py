from dataclasses import dataclass


@dataclass
class Comment:
    """What the API returns for a comment: not the mapped class."""

    body: str
