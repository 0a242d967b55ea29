"""The data model and the pure algorithms. Imports neither discord nor aiohttp."""
