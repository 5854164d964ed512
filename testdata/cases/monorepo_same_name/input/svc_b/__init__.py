"""Shipping service."""
