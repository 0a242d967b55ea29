"""A local fake Discord for end-to-end tests: REST routes and a gateway websocket on 127.0.0.1
(an ephemeral port), recording every request it receives.

It plays just enough of Discord for discord.py 2.7 to log in, connect (HELLO -> IDENTIFY ->
READY -> GUILD_CREATE), receive INTERACTION_CREATE / MESSAGE_CREATE dispatches, and answer
interactions, send and edit messages, upload files and open threads. Pitfalls it honours:
`Content-Type: application/json` exactly; interaction callbacks answer with a JSON body;
interaction payloads carry `attachment_size_limit`; READY carries `"shard": [0, 1]`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

DISCORD_EPOCH_MS = 1_420_070_400_000
MANAGE_GUILD = 1 << 5
SEND_AND_READ = (1 << 10) | (1 << 11) | (1 << 16) | (1 << 15)  # view, send, history, files
ALL_PERMISSIONS = (1 << 50) - 1
API = "/api/v10"
MESSAGE_CREATE_ROUTES = (
    "POST /channels/",
    "PATCH /channels/",
    "POST /webhooks/",
    "PATCH /webhooks/",
)
"""Routes that create or edit messages; a PATCH on a channel counts only for its messages."""


REC: Any = web.RequestKey("rec", object) if hasattr(web, "RequestKey") else "rec"
"""Where a request's Recorded lives (a str key warns on aiohttp >= 3.12, failing the request)."""


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


@dataclass
class Recorded:
    """One request the fake received. `path` is relative to /api/v10 for REST routes."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any = None
    files: list[tuple[str, str, bytes]] = field(default_factory=list)
    """(field name, file name, content) of multipart uploads."""
    at: float = 0.0
    """event-loop time when it arrived."""

    @property
    def route(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def sends_message(self) -> bool:
        """A request that creates or edits a message (and so must carry allowed_mentions)."""
        channel_edit = self.route.startswith("PATCH /channels/")
        if channel_edit and "/messages/" not in self.path:
            return False  # editing the channel itself, not a message in it
        if self.route.startswith(MESSAGE_CREATE_ROUTES) and not self.path.endswith(
            ("/threads", "/typing")
        ):
            return self.method in ("POST", "PATCH") and isinstance(self.json, dict)
        if self.path.endswith("/callback") and isinstance(self.json, dict):
            return self.json.get("type") in (4, 7)
        return False

    @property
    def message_payload(self) -> dict[str, Any]:
        if self.path.endswith("/callback"):
            return dict(self.json.get("data") or {})
        return dict(self.json or {})


def user(uid: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(uid),
        "username": name,
        "global_name": name.title(),
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


class FakeDiscord:
    """Start with `await fake.start()`; point discord.py at `fake.api_base` and `fake.ws_url`."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self.app_id = self.snowflake()
        self.bot_user = user(self.app_id, "crosstalk", bot=True)
        self.owner = user(self.snowflake(), "owner")
        self.admin = user(self.snowflake(), "ada")
        self.member = user(self.snowflake(), "bob")
        self.guild_id = self.snowflake()
        self.channel_id = self.snowflake()
        self.other_channel_id = self.snowflake()
        self.dm_channel_id = self.snowflake()
        self.requests: list[Recorded] = []
        self.messages: dict[str, dict[str, Any]] = {}
        self.channel_log: dict[str, list[str]] = {}
        self.threads: dict[str, dict[str, Any]] = {}
        self.files: dict[str, bytes] = {}
        self.interactions: dict[str, dict[str, Any]] = {}
        self.sent_at: dict[str, float] = {}
        self.identify: list[dict[str, Any]] = []
        self.commands: list[dict[str, Any]] = []
        self.refuse_threads = False
        """Answer thread creation with 403 Missing Permissions."""
        self.history_delay = 0.0
        """Seconds GET /channels/{id}/messages takes (to hold a job up)."""
        self._ws: web.WebSocketResponse | None = None
        self._seq = 0
        self._runner: web.AppRunner | None = None
        self.base = ""

    # -- lifecycle -------------------------------------------------------------------------

    def snowflake(self, at_ms: float | None = None) -> str:
        ms = int(time.time() * 1000 if at_ms is None else at_ms)
        return str(((ms - DISCORD_EPOCH_MS) << 22) | (next(self._ids) & 0x3FFFFF))

    async def start(self) -> None:
        app = web.Application(middlewares=[self._record])
        r = app.router
        r.add_get("/ws", self._gateway)
        r.add_get("/cdn/{name}", self._cdn)
        r.add_get(API + "/users/@me", self._me)
        r.add_get(API + "/oauth2/applications/@me", self._app_info)
        r.add_get(API + "/gateway", self._gateway_url)
        r.add_post(API + "/interactions/{iid}/{token}/callback", self._callback)
        r.add_patch(API + "/webhooks/{app}/{token}/messages/{mid}", self._edit_webhook_message)
        r.add_get(API + "/webhooks/{app}/{token}/messages/{mid}", self._get_webhook_message)
        r.add_delete(API + "/webhooks/{app}/{token}/messages/{mid}", self._delete_webhook_message)
        r.add_post(API + "/webhooks/{app}/{token}", self._followup)
        r.add_get(API + "/channels/{cid}/messages", self._history)
        r.add_post(API + "/channels/{cid}/messages", self._channel_send)
        r.add_patch(API + "/channels/{cid}/messages/{mid}", self._edit_channel_message)
        r.add_post(API + "/channels/{cid}/typing", self._typing)
        r.add_post(API + "/channels/{cid}/messages/{mid}/threads", self._thread)
        r.add_post(API + "/users/@me/channels", self._dm_channel)
        r.add_put(API + "/applications/{app}/commands", self._sync)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base = f"http://{host}:{port}"

    async def stop(self) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return self.base + API

    @property
    def ws_url(self) -> str:
        return self.base.replace("http://", "ws://") + "/ws"

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _json(data: Any, status: int = 200) -> web.Response:
        # exactly "application/json": discord.py reads anything else as text
        return web.Response(
            status=status,
            body=json.dumps(data).encode(),
            headers={"Content-Type": "application/json"},
        )

    @web.middleware
    async def _record(self, request: web.Request, handler: Any) -> web.StreamResponse:
        path = request.path[len(API) :] if request.path.startswith(API) else request.path
        rec = Recorded(
            request.method,
            path,
            dict(request.query),
            dict(request.headers),
            at=asyncio.get_running_loop().time(),
        )
        if request.content_type == "multipart/form-data":
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    rec.files.append((name, value.filename, value.file.read()))
                elif name == "payload_json":
                    rec.json = json.loads(str(value))
        elif request.can_read_body:
            raw = await request.read()
            rec.json = json.loads(raw) if raw else None
        request[REC] = rec
        self.requests.append(rec)
        try:
            return await handler(request)
        except web.HTTPNotFound:
            return self._json({"message": "404: Not Found", "code": 0}, 404)

    def _message(
        self,
        channel_id: str,
        payload: dict[str, Any],
        files: list[tuple[str, str, bytes]],
        *,
        author: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        mid = self.snowflake()
        msg: dict[str, Any] = {
            "id": mid,
            "channel_id": channel_id,
            "author": author or self.bot_user,
            "content": "",
            "timestamp": now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
            "components": [],
        }
        if channel_id != self.dm_channel_id:
            msg["guild_id"] = self.guild_id
        self._apply(msg, payload, files)
        self.messages[mid] = msg
        self.channel_log.setdefault(channel_id, []).append(mid)
        return msg

    def _apply(
        self, msg: dict[str, Any], payload: dict[str, Any], files: list[tuple[str, str, bytes]]
    ) -> None:
        for key in ("content", "embeds", "flags", "components"):
            if key in payload:
                msg[key] = (
                    payload[key] if payload[key] is not None else ([] if key != "content" else "")
                )
        if "message_reference" in payload:
            msg["message_reference"] = payload["message_reference"]
            msg["type"] = 19
        if "attachments" in payload or files:
            atts = []
            for i, (_field, filename, data) in enumerate(files):
                aid = self.snowflake()
                self.files[f"{aid}-{filename}"] = data
                atts.append(self.attachment(aid, filename, data, i))
            msg["attachments"] = atts

    def attachment(self, aid: str, filename: str, data: bytes, _i: int = 0) -> dict[str, Any]:
        self.files[f"{aid}-{filename}"] = data
        url = f"{self.base}/cdn/{aid}-{filename}"
        return {
            "id": aid,
            "filename": filename,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": "application/octet-stream",
        }

    # -- REST ------------------------------------------------------------------------------

    async def _me(self, _request: web.Request) -> web.Response:
        return self._json(self.bot_user)

    async def _gateway_url(self, _request: web.Request) -> web.Response:
        return self._json({"url": self.ws_url})

    async def _sync(self, request: web.Request) -> web.Response:
        rec: Recorded = request[REC]
        self.commands = [
            {
                "description": "",
                **c,
                "id": self.snowflake(),
                "application_id": self.app_id,
                "version": "1",
            }
            for c in rec.json
        ]
        return self._json(self.commands)

    async def _typing(self, _request: web.Request) -> web.Response:
        return web.Response(status=204)

    async def _app_info(self, _request: web.Request) -> web.Response:
        return self._json(
            {
                "id": self.app_id,
                "name": "Crosstalk",
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": self.owner,
                "verify_key": "0" * 64,
                "flags": 0,
            }
        )

    async def _cdn(self, request: web.Request) -> web.Response:
        data = self.files.get(request.match_info["name"])
        if data is None:
            raise web.HTTPNotFound()
        return web.Response(body=data, content_type="application/octet-stream")

    async def _callback(self, request: web.Request) -> web.Response:
        rec: Recorded = request[REC]
        iid, token = request.match_info["iid"], request.match_info["token"]
        info = self.interactions.get(token)
        if info is None or info["id"] != iid:
            return self._json({"message": "Unknown interaction", "code": 10062}, 404)
        if asyncio.get_running_loop().time() - self.sent_at[iid] > 3.0:
            # Discord forgets an interaction not acknowledged within 3 seconds
            return self._json({"message": "Unknown interaction", "code": 10062}, 404)
        if info.get("answered"):
            return self._json(
                {"message": "Interaction has already been acknowledged.", "code": 40060}, 400
            )
        info["answered"] = True
        kind = rec.json["type"]
        data = rec.json.get("data") or {}
        resource: dict[str, Any] = {"type": kind}
        message_id = None
        if kind in (4, 5):
            msg = self._message(
                info["channel_id"],
                data if kind == 4 else {"flags": data.get("flags", 0)},
                rec.files,
            )
            info["original"] = msg["id"]
            resource["message"] = msg
            message_id = msg["id"]
        return self._json(
            {
                "interaction": {
                    "id": iid,
                    "type": info["type"],
                    "response_message_id": message_id,
                    "response_message_loading": kind == 5,
                    "response_message_ephemeral": bool(int(data.get("flags", 0) or 0) & 64),
                },
                "resource": resource,
            }
        )

    def _original(self, request: web.Request) -> dict[str, Any] | None:
        info = self.interactions.get(request.match_info["token"])
        mid = request.match_info["mid"]
        if info is None:
            return None
        if mid == "@original":
            mid = info.get("original") or ""
        return self.messages.get(mid)

    async def _edit_webhook_message(self, request: web.Request) -> web.Response:
        rec: Recorded = request[REC]
        msg = self._original(request)
        if msg is None:
            return self._json({"message": "Unknown Message", "code": 10008}, 404)
        self._apply(msg, rec.json or {}, rec.files)
        msg["edited_timestamp"] = now_iso()
        return self._json(msg)

    async def _edit_channel_message(self, request: web.Request) -> web.Response:
        rec: Recorded = request[REC]
        msg = self.messages.get(request.match_info["mid"])
        if msg is None or msg["channel_id"] != request.match_info["cid"]:
            return self._json({"message": "Unknown Message", "code": 10008}, 404)
        self._apply(msg, rec.json or {}, rec.files)
        msg["edited_timestamp"] = now_iso()
        return self._json(msg)

    async def _get_webhook_message(self, request: web.Request) -> web.Response:
        msg = self._original(request)
        return self._json(msg) if msg else self._json({"message": "Unknown Message"}, 404)

    async def _delete_webhook_message(self, request: web.Request) -> web.Response:
        msg = self._original(request)
        if msg is not None:
            self.messages.pop(msg["id"], None)
        return web.Response(status=204)

    async def _followup(self, request: web.Request) -> web.Response:
        rec: Recorded = request[REC]
        info = self.interactions.get(request.match_info["token"])
        if info is None:
            return self._json({"message": "Unknown Webhook", "code": 10015}, 404)
        return self._json(self._message(info["channel_id"], rec.json or {}, rec.files))

    async def _channel_send(self, request: web.Request) -> web.Response:
        rec: Recorded = request[REC]
        return self._json(self._message(request.match_info["cid"], rec.json or {}, rec.files))

    async def _history(self, request: web.Request) -> web.Response:
        limit = int(request.query.get("limit", "50"))
        await asyncio.sleep(self.history_delay)
        ids = self.channel_log.get(request.match_info["cid"], [])
        if "before" in request.query:
            ids = [i for i in ids if int(i) < int(request.query["before"])]
        newest_first = [self.messages[i] for i in reversed(ids) if i in self.messages]
        return self._json(newest_first[:limit])

    async def _thread(self, request: web.Request) -> web.Response:
        rec: Recorded = request[REC]
        cid, mid = request.match_info["cid"], request.match_info["mid"]
        if self.refuse_threads:
            return self._json({"message": "Missing Permissions", "code": 50013}, 403)
        thread = {
            "id": mid,  # Discord gives a thread opened on a message the message's id
            "type": 11,
            "guild_id": self.guild_id,
            "parent_id": cid,
            "name": rec.json["name"],
            "owner_id": self.app_id,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": rec.json.get("auto_archive_duration", 1440),
                "archive_timestamp": now_iso(),
                "locked": False,
            },
            "message_count": 0,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "flags": 0,
            "last_message_id": None,
        }
        self.threads[mid] = thread
        await self.dispatch("THREAD_CREATE", {**thread, "newly_created": True})
        return self._json(thread)

    async def _dm_channel(self, request: web.Request) -> web.Response:
        rec: Recorded = request[REC]
        known = {u["id"]: u for u in (self.owner, self.admin, self.member)}
        recipient = known.get(str(rec.json["recipient_id"]), user(0, "unknown"))
        return self._json({"id": self.dm_channel_id, "type": 1, "recipients": [recipient]})

    # -- gateway ---------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        """One connection per shard (a plain client is shard 0 of 1). The guild lives on
        shard (guild_id >> 22) % count, as on Discord: its GUILD_CREATE and every dispatch
        about it go there; other shards are READY with no guild."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 45000}, "s": None, "t": None})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            data = json.loads(msg.data)
            if data["op"] == 1:
                await ws.send_json({"op": 11, "d": None, "s": None, "t": None})
            elif data["op"] == 2:
                self.identify.append(data["d"])
                shard, count = data["d"].get("shard") or [0, 1]
                mine = (int(self.guild_id) >> 22) % count == shard
                if mine:
                    self._ws = ws
                self._seq += 1
                ready = self._ready(shard, count, with_guild=mine)
                await ws.send_json({"op": 0, "t": "READY", "s": self._seq, "d": ready})
                if mine:
                    await self.dispatch("GUILD_CREATE", self.guild())
        return ws

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        if self._ws is None or self._ws.closed:
            return
        self._seq += 1
        await self._ws.send_json({"op": 0, "t": event, "s": self._seq, "d": data})

    def _ready(self, shard: int = 0, count: int = 1, *, with_guild: bool = True) -> dict[str, Any]:
        return {
            "v": 10,
            "user": self.bot_user,
            "guilds": [{"id": self.guild_id, "unavailable": True}] if with_guild else [],
            "session_id": f"fake-session-{shard}",
            "resume_gateway_url": self.ws_url,
            "shard": [shard, count],
            "application": {"id": self.app_id, "flags": 0},
            "private_channels": [],
            "relationships": [],
        }

    def text_channel(self, cid: str, name: str) -> dict[str, Any]:
        return {
            "id": cid,
            "type": 0,
            "guild_id": self.guild_id,
            "name": name,
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
        }

    def guild(self) -> dict[str, Any]:
        members = [
            {
                "user": self.bot_user,
                "roles": [],
                "joined_at": now_iso(),
                "deaf": False,
                "mute": False,
                "flags": 0,
            },
        ]
        return {
            "id": self.guild_id,
            "name": "Debate Club",
            "icon": None,
            "owner_id": self.owner["id"],
            "member_count": len(members),
            "members": members,
            "channels": [
                self.text_channel(self.channel_id, "general"),
                self.text_channel(self.other_channel_id, "random"),
            ],
            "threads": list(self.threads.values()),
            "roles": [
                {
                    "id": self.guild_id,
                    "name": "@everyone",
                    "permissions": str(SEND_AND_READ),
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                },
            ],
            "emojis": [],
            "stickers": [],
            "features": [],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "large": False,
            "unavailable": False,
            "joined_at": now_iso(),
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "premium_tier": 0,
            "system_channel_flags": 0,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
            "afk_timeout": 300,
        }

    # -- what tests drive ------------------------------------------------------------------

    def member_payload(self, who: dict[str, Any], permissions: int) -> dict[str, Any]:
        return {
            "user": who,
            "roles": [],
            "joined_at": now_iso(),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": str(permissions),
        }

    async def interact(
        self,
        data: dict[str, Any],
        *,
        kind: int = 2,
        who: dict[str, Any] | None = None,
        permissions: int = SEND_AND_READ,
        channel_id: str | None = None,
        created_ms: float | None = None,
    ) -> tuple[str, str]:
        """Dispatch an INTERACTION_CREATE; returns (interaction id, token)."""
        iid = self.snowflake(created_ms)
        token = f"itoken-{iid}"
        cid = channel_id or self.channel_id
        self.interactions[token] = {"id": iid, "type": kind, "channel_id": cid}
        channel = self.threads.get(cid) or self.text_channel(cid, "general")
        payload = {
            "id": iid,
            "application_id": self.app_id,
            "type": kind,
            "token": token,
            "version": 1,
            "guild_id": self.guild_id,
            "channel_id": cid,
            "channel": channel,
            "member": self.member_payload(who or self.member, permissions),
            "app_permissions": str(ALL_PERMISSIONS),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": self.guild_id},
            "context": 0,
            "attachment_size_limit": 25 * 1024 * 1024,
            "data": data,
        }
        self.sent_at[iid] = asyncio.get_running_loop().time()
        await self.dispatch("INTERACTION_CREATE", payload)
        return iid, token

    async def slash(
        self,
        name: str,
        options: list[dict[str, Any]] | None = None,
        *,
        resolved: dict[str, Any] | None = None,
        **kw: Any,
    ) -> tuple[str, str]:
        data: dict[str, Any] = {
            "id": self.snowflake(),
            "name": name,
            "type": 1,
            "options": options or [],
        }
        if resolved:
            data["resolved"] = resolved
        self.check_options(name, data["options"])
        return await self.interact(data, **kw)

    def check_options(self, name: str, given: list[dict[str, Any]]) -> None:
        """Only what a Discord client could send for the registered command: known options,
        required ones present, values among the choices and within min/max. (No check
        before the bot has registered its commands.)"""
        spec = next((c for c in self.commands if c["name"] == name and c.get("type", 1) == 1), None)
        if spec is not None:
            _check_options(spec.get("options", []), given, name)

    def user_message(
        self,
        content: str,
        *,
        who: dict[str, Any] | None = None,
        channel_id: str | None = None,
        reply_to: str | None = None,
        mentions: list[dict[str, Any]] | None = None,
        attachments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """A member's message, stored in the channel (as if posted) and returned."""
        cid = channel_id or self.channel_id
        msg = self._message(cid, {"content": content}, [], author=who or self.member)
        msg["mentions"] = mentions or []
        msg["attachments"] = attachments or []
        msg["member"] = {
            "roles": [],
            "joined_at": now_iso(),
            "deaf": False,
            "mute": False,
            "flags": 0,
        }
        if reply_to:
            msg["message_reference"] = {
                "message_id": reply_to,
                "channel_id": cid,
                "guild_id": self.guild_id,
            }
            msg["type"] = 19
        return msg

    async def post_message(self, content: str, **kw: Any) -> dict[str, Any]:
        msg = self.user_message(content, **kw)
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    # -- assertions helpers ----------------------------------------------------------------

    def calls(self, method: str | None = None, contains: str = "") -> list[Recorded]:
        return [
            r
            for r in self.requests
            if (method is None or r.method == method) and contains in r.path
        ]

    def for_token(self, token: str) -> list[Recorded]:
        return [r for r in self.requests if f"/{token}" in r.path]

    async def wait_for(self, predicate: Any, timeout: float = 15.0) -> Recorded:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            for r in self.requests:
                if predicate(r):
                    return r
            if asyncio.get_running_loop().time() > deadline:
                seen = "\n".join(r.route for r in self.requests[-30:])
                raise AssertionError(f"no matching request within {timeout}s; last ones:\n{seen}")
            await asyncio.sleep(0.02)


def _check_options(spec: list[dict[str, Any]], sent: list[dict[str, Any]], path: str) -> None:
    by_name = {o["name"]: o for o in spec}
    for o in sent:
        assert o["name"] in by_name, f"/{path} has no option {o['name']!r}"
        s = by_name[o["name"]]
        assert o["type"] == s["type"], f"/{path} {o['name']}: type {o['type']}"
        if s["type"] in (1, 2):  # subcommand (group)
            _check_options(s.get("options", []), o.get("options", []), f"{path} {o['name']}")
            continue
        choices = [c["value"] for c in s.get("choices") or []]
        assert not choices or o["value"] in choices, f"{o['value']!r} not in {choices}"
        assert o["value"] >= s.get("min_value", o["value"]), (path, o)
        assert o["value"] <= s.get("max_value", o["value"]), (path, o)
    names = {o["name"] for o in sent}
    for s in spec:
        if s.get("required") and s["type"] not in (1, 2):
            assert s["name"] in names, f"/{path} needs {s['name']!r}"
