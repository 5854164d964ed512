from app.core.people import Person

__all__ = ["Person"]
