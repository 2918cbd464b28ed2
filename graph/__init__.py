"""Stafet."""
