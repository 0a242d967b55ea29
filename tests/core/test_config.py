import tomllib
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.core.errors import ConfigError

DEFAULTS = Path(__file__).parents[2] / "config" / "defaults.toml"


def test_defaults_file_documents_the_settings_defaults():
    documented = tomllib.loads(DEFAULTS.read_text())
    s = Settings()
    for key, value in documented.items():
        actual = getattr(s, key)
        if value == "":
            assert actual in (None, (), "") or key == "db_path", key
        else:
            assert actual == value, key
    public = {
        f
        for f in Settings.__slots__
        if f not in {"discord_token", "discord_api_base", "discord_gateway_url"}
    }
    assert public == set(documented)


def test_env_example_values_are_the_defaults():
    """.env.example shows each variable with its default: copied as it is, it changes nothing."""
    from bot.discord.options import load_bot_options

    example = Path(__file__).parents[2] / ".env.example"
    pairs = [
        line.split("=", 1)
        for line in example.read_text().splitlines()
        if "=" in line and not line.startswith("#")
    ]
    shown = {name: value for name, value in pairs if value}
    assert "LLM_CONTEXT_TOKENS" in shown and "CROSSTALK_MAX_INPUT_BYTES" in shown
    for name, value in shown.items():
        assert load_settings({name: value}) == load_settings({}), name
        assert load_bot_options({name: value}) == load_bot_options({}), name


def test_environment_is_read_and_validated():
    s = load_settings(
        {
            "LLM_BASE_URL": "http://x/v1",
            "LLM_MODEL": "m",
            "LLM_CONTEXT_TOKENS": "4096",
            "CROSSTALK_FETCH_ALLOW": "A.test, b.test",
        }
    )
    assert s.llm_configured and s.llm_context_tokens == 4096
    assert s.fetch_allow == ("a.test", "b.test")
    with pytest.raises(ConfigError, match="LLM_CONTEXT_TOKENS"):
        load_settings({"LLM_CONTEXT_TOKENS": "lots"})
    with pytest.raises(ConfigError, match="LLM_CONCURRENCY"):
        load_settings({"LLM_CONCURRENCY": "0"})


def test_dotenv_is_read_but_environment_wins(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("LLM_MODEL=from-dotenv\nLLM_BASE_URL=http://dotenv/v1\n")
    monkeypatch.setenv("LLM_MODEL", "from-env")
    s = load_settings()
    assert s.llm_model == "from-env"
    assert s.llm_base_url == "http://dotenv/v1"


def test_bot_options_are_read_from_dotenv_too(tmp_path):
    from bot.discord.options import load_bot_options

    (tmp_path / ".env").write_text("CROSSTALK_MESSAGE_CONTENT=true\nCROSSTALK_WORKERS=3\n")
    options = load_bot_options()
    assert options.message_content and options.workers == 3
