"""Pet shop."""
