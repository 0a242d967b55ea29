"""One cog per feature: summarize, ask (follow-ups in threads), admin."""
