from app.models import Note, User


def note_for(user: User, key: str) -> Note:
    return user.notes[key]
