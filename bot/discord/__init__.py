"""The Discord adapter: the bot class, one cog per feature, the job queue and the runner.

Nothing below `bot/discord` imports from it; it calls the pipeline, the store and the renderers.
"""
