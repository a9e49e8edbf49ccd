"""GitHub: webhooks signed with X-Hub-Signature-256, and REST backfill of issues, PRs and comments.

External ids are stable across webhooks and the REST API: `issue:<owner/repo>#<number>` for issues and pull
requests (they share one number space), `issue_comment:<id>`, `review:<id>`, `release:<id>` …
"""

import re

from integrations import http

from . import base
from .base import BadSignature, Field, MalformedPayload, Page, UnknownEvent, header, item, require

API = "https://api.github.com"
LINK_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')
STREAMS = {
    "issues": ("rest:issues", "/repos/{repo}/issues", {"state": "all", "sort": "updated", "direction": "asc"}),
    "comments": ("rest:issue_comments", "/repos/{repo}/issues/comments", {"sort": "updated", "direction": "asc"}),
}


def _identity(user: dict | None) -> dict:
    user = user or {}
    return {
        "channel": "github",
        "external_id": user.get("id", ""),
        "handle": user.get("login", ""),
        "url": user.get("html_url", ""),
    }


def _repo_of(api_url: str) -> str:
    match = re.search(r"/repos/([^/]+/[^/]+)", api_url or "")
    if not match:
        raise MalformedPayload(f"cannot tell the repository from {api_url!r}")
    return match.group(1)


class GitHubConnector(base.Connector):
    kind = "github"
    label = "GitHub repository"
    source = "github"
    config_fields = (Field("repo", "Repository", "owner/name, e.g. hearth-dev/hearth"),)
    credential_fields = (Field("token", "Access token", "Fine-grained token with read access", secret=True),)
    polls = True
    receives_webhooks = True
    kept_headers = ("content-type", "x-github-event", "x-github-delivery", "x-github-hook-id")
    handled_events = frozenset(
        {
            "issues",
            "issue_comment",
            "pull_request",
            "pull_request_review",
            "pull_request_review_comment",
            "star",
            "watch",
            "fork",
            "release",
            "discussion",
            "discussion_comment",
            "rest:issues",
            "rest:issue_comments",
        }
    )

    # --- push
    def verify(self, request, connection) -> None:
        secret = connection.webhook_secret
        signature = header(request.headers, "X-Hub-Signature-256")
        if not secret or not signature.startswith("sha256="):
            raise BadSignature("missing X-Hub-Signature-256")
        if not base.same(signature, "sha256=" + base.hmac_hex(secret, request.body)):
            raise BadSignature("X-Hub-Signature-256 does not match")

    def classify(self, body: bytes, headers: dict) -> str:
        event = header(headers, "X-GitHub-Event") or header(headers, base.EVENT_HEADER)
        if not event:
            raise MalformedPayload("missing X-GitHub-Event header")
        base.load_json(body)
        return event

    def delivery_id(self, body: bytes, headers: dict) -> str:
        return header(headers, "X-GitHub-Delivery")

    # --- parse
    def parse(self, payload: bytes, headers: dict) -> list[dict]:
        event = self.classify(payload, headers)
        data = base.load_json(payload)
        if event == "rest:issues":
            return [self._issue_opened(issue, _repo_of(issue.get("repository_url", ""))) for issue in _list(data)]
        if event == "rest:issue_comments":
            return [self._issue_comment(c, _repo_of(c.get("issue_url", "")), _number(c)) for c in _list(data)]
        handler = getattr(self, "_on_" + event, None)
        if handler is None:
            raise UnknownEvent(event)
        return handler(data)

    def _issue_opened(self, issue: dict, repo: str) -> dict:
        is_pr = "pull_request" in issue
        return item(
            source=self.source,
            external_id=f"issue:{repo}#{require(issue, 'number')}",
            kind="pull_request" if is_pr else "issue",
            occurred_at=require(issue, "created_at"),
            title=issue.get("title", ""),
            body=issue.get("body") or "",
            url=issue.get("html_url", ""),
            identity=_identity(require(issue, "user")),
        )

    def _issue_comment(self, comment: dict, repo: str, number: int) -> dict:
        return item(
            source=self.source,
            external_id=f"issue_comment:{require(comment, 'id')}",
            kind="comment",
            occurred_at=require(comment, "created_at"),
            body=comment.get("body") or "",
            url=comment.get("html_url", ""),
            parent_external_id=f"issue:{repo}#{number}",
            identity=_identity(require(comment, "user")),
        )

    def _on_issues(self, data: dict) -> list[dict]:
        repo = require(data, "repository", "full_name")
        issue = require(data, "issue")
        if data.get("action") == "opened":
            return [self._issue_opened(issue, repo)]
        return []

    def _on_issue_comment(self, data: dict) -> list[dict]:
        if data.get("action") != "created":
            return []
        repo = require(data, "repository", "full_name")
        return [self._issue_comment(require(data, "comment"), repo, require(data, "issue", "number"))]

    def _on_pull_request(self, data: dict) -> list[dict]:
        repo = require(data, "repository", "full_name")
        pr = require(data, "pull_request")
        number = require(pr, "number")
        if data.get("action") == "opened":
            return [self._issue_opened({**pr, "pull_request": {}}, repo)]
        if data.get("action") == "closed" and pr.get("merged"):
            return [
                item(
                    source=self.source,
                    external_id=f"merged:{repo}#{number}",
                    kind="pull_request",
                    extra={"action": "merged"},
                    occurred_at=pr.get("merged_at") or pr["closed_at"],
                    title=pr.get("title", ""),
                    url=pr.get("html_url", ""),
                    parent_external_id=f"issue:{repo}#{number}",
                    identity=_identity(pr.get("user")),
                )
            ]
        return []

    def _on_pull_request_review(self, data: dict) -> list[dict]:
        if data.get("action") != "submitted":
            return []
        repo = require(data, "repository", "full_name")
        review = require(data, "review")
        return [
            item(
                source=self.source,
                external_id=f"review:{require(review, 'id')}",
                kind="review",
                occurred_at=require(review, "submitted_at"),
                title=review.get("state", ""),
                body=review.get("body") or "",
                url=review.get("html_url", ""),
                parent_external_id=f"issue:{repo}#{require(data, 'pull_request', 'number')}",
                identity=_identity(review.get("user")),
            )
        ]

    def _on_pull_request_review_comment(self, data: dict) -> list[dict]:
        if data.get("action") != "created":
            return []
        repo = require(data, "repository", "full_name")
        comment = require(data, "comment")
        return [
            item(
                source=self.source,
                external_id=f"review_comment:{require(comment, 'id')}",
                kind="comment",
                occurred_at=require(comment, "created_at"),
                body=comment.get("body") or "",
                url=comment.get("html_url", ""),
                parent_external_id=f"issue:{repo}#{require(data, 'pull_request', 'number')}",
                identity=_identity(comment.get("user")),
            )
        ]

    def _on_star(self, data: dict) -> list[dict]:
        if data.get("action") != "created":
            return []
        repo = require(data, "repository")
        sender = require(data, "sender")
        return [
            item(
                source=self.source,
                external_id=f"star:{repo['full_name']}:{sender['id']}",
                kind="star",
                occurred_at=data.get("starred_at") or repo.get("updated_at"),
                title=f"starred {repo['full_name']}",
                url=repo.get("html_url", ""),
                identity=_identity(sender),
            )
        ]

    def _on_watch(self, data: dict) -> list[dict]:  # the legacy name of starring
        repo = require(data, "repository")
        return self._on_star({**data, "action": "created", "starred_at": repo.get("updated_at")})

    def _on_fork(self, data: dict) -> list[dict]:
        forkee = require(data, "forkee")
        return [
            item(
                source=self.source,
                external_id=f"fork:{require(forkee, 'id')}",
                kind="fork",
                occurred_at=require(forkee, "created_at"),
                title=f"forked to {forkee.get('full_name', '')}",
                url=forkee.get("html_url", ""),
                identity=_identity(forkee.get("owner") or data.get("sender")),
            )
        ]

    def _on_release(self, data: dict) -> list[dict]:
        if data.get("action") != "published":
            return []
        release = require(data, "release")
        return [
            item(
                source=self.source,
                external_id=f"release:{require(release, 'id')}",
                kind="post",
                extra={"github_event": "release"},
                occurred_at=release.get("published_at") or release["created_at"],
                title=release.get("name") or release.get("tag_name", ""),
                body=release.get("body") or "",
                url=release.get("html_url", ""),
                identity=_identity(release.get("author")),
            )
        ]

    def _on_discussion(self, data: dict) -> list[dict]:
        if data.get("action") != "created":
            return []
        discussion = require(data, "discussion")
        return [
            item(
                source=self.source,
                external_id=f"discussion:{require(discussion, 'id')}",
                kind="post",
                extra={"github_event": "discussion"},
                occurred_at=require(discussion, "created_at"),
                title=discussion.get("title", ""),
                body=discussion.get("body") or "",
                url=discussion.get("html_url", ""),
                identity=_identity(discussion.get("user")),
            )
        ]

    def _on_discussion_comment(self, data: dict) -> list[dict]:
        if data.get("action") != "created":
            return []
        comment = require(data, "comment")
        return [
            item(
                source=self.source,
                external_id=f"discussion_comment:{require(comment, 'id')}",
                kind="reply",
                occurred_at=require(comment, "created_at"),
                body=comment.get("body") or "",
                url=comment.get("html_url", ""),
                parent_external_id=f"discussion:{require(data, 'discussion', 'id')}",
                identity=_identity(comment.get("user")),
            )
        ]

    # --- pull
    def fetch(self, connection, cursor: dict) -> Page:
        """One page of each stream (issues+PRs, comments); Link pagination; ETag on the first page."""
        repo = connection.config.get("repo", "")
        token = connection.credentials.get("token", "")
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        cursor = {key: dict(value) for key, value in (cursor or {}).items() if isinstance(value, dict)}
        events = []
        for name, (event_type, path, params) in STREAMS.items():
            state = cursor.setdefault(name, {})
            if state.get("done_run"):
                continue
            url = state.get("next")
            request_headers = dict(headers)
            query = None
            if not url:
                url = API + path.format(repo=repo)
                query = {**params, "per_page": 100}
                if state.get("since"):
                    query["since"] = state["since"]
                if state.get("etag") and state.get("etag_since") == state.get("since"):
                    request_headers["If-None-Match"] = state["etag"]
            response = http.request("GET", url, headers=request_headers, params=query)
            if response.status_code == 304:
                state["done_run"] = True
                continue
            rows, raw = base.json_page(response, event_type)
            if not isinstance(rows, list):
                raise MalformedPayload(f"{name}: expected a list", raw=raw)
            if query is not None and response.headers.get("ETag"):
                state["etag"], state["etag_since"] = response.headers["ETag"], state.get("since")
            high = max([r.get("updated_at", "") for r in rows if isinstance(r, dict)] + [state.get("high", "")])
            state["high"] = high
            match = LINK_NEXT.search(response.headers.get("Link", ""))
            state["next"] = match.group(1) if match else None
            if not match:
                state["done_run"] = True
                if high:
                    state["since"] = high
            events.append(raw)
        has_more = any(not state.get("done_run") for state in cursor.values())
        if not has_more:
            for state in cursor.values():
                state.pop("done_run", None)
        return Page(events=events, next_cursor=cursor, has_more=has_more)

    def cursor_since(self, connection, since) -> dict:
        return {name: {"since": since.isoformat().replace("+00:00", "Z")} for name in STREAMS}

    def check(self, connection) -> str:
        token = connection.credentials.get("token", "")
        headers = {"Accept": "application/vnd.github+json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        repo = connection.config.get("repo", "")
        data = http.json_of(http.request("GET", f"{API}/repos/{repo}", headers=headers))
        return f"connected to {data.get('full_name', repo)}"

    # --- moderation
    def remove(self, connection, activity) -> None:
        """Delete an issue or pull-request comment (REST; 404: already gone). Issues and discussions are not
        deletable through REST with a repository token, so they are refused rather than half-handled."""
        kind, _, comment_id = activity.external_id.partition(":")
        paths = {"issue_comment": "issues/comments", "review_comment": "pulls/comments"}
        repo = connection.config.get("repo", "")
        if kind not in paths or not comment_id.isdigit() or not repo:
            raise base.NotRemovable("only GitHub issue and review comments can be removed")
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        headers["Authorization"] = f"Bearer {connection.credentials.get('token', '')}"
        http.request(
            "DELETE", f"{API}/repos/{repo}/{paths[kind]}/{comment_id}", headers=headers, ok_statuses=(204, 404)
        )


def _list(data) -> list:
    if not isinstance(data, list):
        raise MalformedPayload("expected a JSON list")
    return data


def _number(comment: dict) -> int:
    issue_url = comment.get("issue_url", "")
    try:
        return int(issue_url.rstrip("/").rsplit("/", 1)[-1])
    except ValueError:
        raise MalformedPayload("comment without issue_url") from None


CONNECTOR = GitHubConnector()
