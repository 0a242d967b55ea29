"""Prompt template files (package data). Edit them here or through the top-level `prompts/`."""
