"""Ordering service."""
