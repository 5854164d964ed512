"""The forum application. Importing the package builds the app."""
from forum.app import create_app

app = create_app()
