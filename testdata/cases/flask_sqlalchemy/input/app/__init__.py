"""Flask application package."""
