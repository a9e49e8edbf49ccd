"""Discourse: webhooks signed with X-Discourse-Event-Signature for topics and posts, and /posts.json polling.

External ids carry the forum host: `<host>:topic:<id>` for a topic (and its first post), `<host>:post:<id>`.
"""

from urllib.parse import urlparse

from integrations import http

from . import base
from .base import BadSignature, Field, MalformedPayload, Page, UnknownEvent, header, item, require


class DiscourseConnector(base.Connector):
    kind = "discourse"
    label = "Discourse forum"
    source = "discourse"
    config_fields = (
        Field("base_url", "Forum URL", "https://forum.example.com", url=True),
        Field("api_username", "API username", "system (for polling)", required=False),
    )
    credential_fields = (Field("api_key", "API key", "Admin → API → read-only key (for polling)", secret=True),)
    polls = True
    receives_webhooks = True
    kept_headers = (
        "content-type",
        "x-discourse-event",
        "x-discourse-event-type",
        "x-discourse-event-id",
        "x-discourse-instance",
    )
    handled_events = frozenset({"post_created", "topic_created", "rest:posts"})

    def verify(self, request, connection) -> None:
        secret = connection.webhook_secret
        signature = header(request.headers, "X-Discourse-Event-Signature")
        if not secret or not signature.startswith("sha256="):
            raise BadSignature("missing X-Discourse-Event-Signature")
        if not base.same(signature, "sha256=" + base.hmac_hex(secret, request.body)):
            raise BadSignature("X-Discourse-Event-Signature does not match")

    def classify(self, body: bytes, headers: dict) -> str:
        event = header(headers, "X-Discourse-Event") or header(headers, base.EVENT_HEADER)
        if not event:
            raise MalformedPayload("missing X-Discourse-Event header")
        base.load_json(body)
        return event

    def delivery_id(self, body: bytes, headers: dict) -> str:
        return header(headers, "X-Discourse-Event-Id")

    def _host(self, headers: dict) -> str:
        instance = header(headers, "X-Discourse-Instance") or header(headers, "X-Hearth-Base-Url")
        host = urlparse(instance).netloc
        if not host:
            raise MalformedPayload("cannot tell the forum (X-Discourse-Instance missing)")
        return host

    def _post(self, host: str, base_url: str, post: dict) -> dict:
        topic = f"{host}:topic:{require(post, 'topic_id')}"
        first = post.get("post_number") == 1
        url = f"{base_url}/t/{post.get('topic_slug', '-')}/{post['topic_id']}/{post.get('post_number', '')}"
        return item(
            source=self.source,
            external_id=topic if first else f"{host}:post:{require(post, 'id')}",
            kind="post" if first else "reply",
            occurred_at=require(post, "created_at"),
            title=post.get("topic_title", "") if first else "",
            body=post.get("raw") or post.get("cooked", ""),
            url=url,
            parent_external_id="" if first else topic,
            identity={
                "channel": "discourse",
                "external_id": f"{host}:{require(post, 'user_id')}",
                "handle": post.get("username", ""),
                "name": post.get("name") or "",
                "url": f"{base_url}/u/{post.get('username', '')}",
            },
        )

    def parse(self, payload: bytes, headers: dict) -> list[dict]:
        event = self.classify(payload, headers)
        data = base.load_json(payload)
        host = self._host(headers)
        base_url = f"https://{host}"
        if event == "rest:posts":
            posts = require(data, "latest_posts")
            return [self._post(host, base_url, post) for post in posts if post.get("post_type", 1) == 1]
        if event == "post_created":
            post = require(data, "post")
            return [self._post(host, base_url, post)] if post.get("post_type", 1) == 1 else []
        if event == "topic_created":
            topic = require(data, "topic")
            author = topic.get("created_by") or {}
            return [
                item(
                    source=self.source,
                    external_id=f"{host}:topic:{require(topic, 'id')}",
                    kind="post",
                    occurred_at=require(topic, "created_at"),
                    title=topic.get("title", ""),
                    url=f"{base_url}/t/{topic.get('slug', '-')}/{topic['id']}",
                    identity={
                        "channel": "discourse",
                        "external_id": f"{host}:{require(author, 'id')}",
                        "handle": author.get("username", ""),
                        "name": author.get("name") or "",
                    },
                )
            ]
        raise UnknownEvent(event)

    def fetch(self, connection, cursor: dict) -> Page:
        """/posts.json lists the latest posts, newest first; page back with `before` until the last seen id."""
        base_url = connection.config.get("base_url", "").rstrip("/")
        headers = {
            "Api-Key": connection.credentials.get("api_key", ""),
            "Api-Username": connection.config.get("api_username") or "system",
        }
        state = dict(cursor or {})
        params = {"before": state["before"]} if state.get("before") else None
        response = http.request("GET", f"{base_url}/posts.json", headers=headers, params=params)
        data, raw = base.json_page(response, "rest:posts", **{"X-Hearth-Base-Url": base_url})
        posts = data.get("latest_posts") if isinstance(data, dict) else None
        if not isinstance(posts, list):
            raise MalformedPayload("posts.json without latest_posts", raw=raw)
        last_id = int(state.get("last_id", 0))
        ids = [int(p["id"]) for p in posts if "id" in p]
        has_more = bool(ids) and last_id > 0 and min(ids) > last_id + 1 and len(ids) > 1
        state["run_high"] = max([*ids, int(state.get("run_high", 0))])
        if has_more:
            state["before"] = min(ids)
        else:
            state.pop("before", None)
            state["last_id"] = max(state.pop("run_high"), last_id)
        return Page(events=[raw] if posts else [], next_cursor=state, has_more=has_more)

    def cursor_since(self, connection, since) -> dict:
        return {}

    def check(self, connection) -> str:
        base_url = connection.config.get("base_url", "").rstrip("/")
        data = http.json_of(http.request("GET", f"{base_url}/site/basic-info.json"))
        return f"reached {data.get('title', base_url) if isinstance(data, dict) else base_url}"

    # --- moderation
    def remove(self, connection, activity) -> None:
        """DELETE /posts/{id}.json for a reply, /t/{id}.json for a topic (its first post); 404: already gone."""
        base_url = connection.config.get("base_url", "").rstrip("/")
        _host, kind, object_id = [*activity.external_id.rsplit(":", 2), "", ""][:3]
        paths = {"post": "posts", "topic": "t"}
        if kind not in paths or not object_id.isdigit() or not base_url:
            raise base.NotRemovable("only Discourse topics and posts can be removed")
        headers = {
            "Api-Key": connection.credentials.get("api_key", ""),
            "Api-Username": connection.config.get("api_username") or "system",
        }
        http.request(
            "DELETE", f"{base_url}/{paths[kind]}/{object_id}.json", headers=headers, ok_statuses=(200, 204, 404)
        )


CONNECTOR = DiscourseConnector()
