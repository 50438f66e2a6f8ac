"""The gateway's errors: one class per thing the user can act on, each
with its message in the catalog (``gateway.<key>``, Chinese and English).
``str(e)`` is the message in the language of the run; ``e.key`` and
``e.params`` are there for callers that record or test them. Secrets
(keys, tokens) never appear in messages."""

from __future__ import annotations

from typing import Any

from domain.errors import UserError
from domain.i18n import register, tr

register({
    "gateway.offline": ("无法连接到 Google 表格服务，请检查网络连接后再同步。",
                        "Cannot reach Google Sheets. Check the network connection and sync again."),
    "gateway.timeout": ("Google 表格服务在 {seconds} 秒内没有响应，请稍后再同步。",
                        "Google Sheets did not answer within {seconds} seconds. Try syncing again later."),
    "gateway.not_found": ("找不到表格（ID：{spreadsheet_id}）。请核对区工会给的表格链接。",
                          "Spreadsheet not found (id {spreadsheet_id}). Check the link the district gave you."),
    "gateway.not_shared": ("没有权限打开这个表格。请让表格所有者把表格共享给 {email}，并设为“编辑者”。",
                           "No permission to open this spreadsheet. Ask its owner to share it with {email} as an Editor."),
    "gateway.quota": ("访问 Google 表格太频繁，超出了配额（每人每分钟 60 次读、60 次写）。请一分钟后再同步。",
                      "Too many requests to Google Sheets (quota: 60 reads and 60 writes per minute per user). "
                      "Wait a minute and sync again."),
    "gateway.credentials_missing": ("找不到凭据文件：{path}。请向区工会管理员索取服务账号密钥文件，或改用 Google 账号登录。",
                                    "Credentials file not found: {path}. Ask the district administrator for the "
                                    "service account key file, or sign in with a Google account."),
    "gateway.credentials_unreadable": ("凭据文件无法使用：{path}（{reason}）。请重新下载密钥文件。",
                                       "Credentials file cannot be used: {path} ({reason}). Download the key file again."),
    "gateway.key_permissions": ("凭据文件 {path} 其他用户也能读取，这不安全，已拒绝使用。请运行：chmod 600 {quoted_path}",
                                "Credentials file {path} is readable by other users, which is unsafe; refusing to "
                                "use it. Run: chmod 600 {quoted_path}"),
    "gateway.service_error": ("Google 表格服务暂时出错（HTTP {status}），已重试多次仍失败，请稍后再同步。",
                              "Google Sheets had an error (HTTP {status}) and retries did not help. Sync again later."),
    "gateway.bad_request": ("Google 表格拒绝了这次修改：{detail}", "Google Sheets refused the change: {detail}"),
    "gateway.ambiguous_write": ("连接中断，无法确认修改是否已写入表格。请重新同步，程序会先核对表格里的现状。",
                                "The connection broke and it is unknown whether the change was applied. Sync again; "
                                "the current sheet will be read first."),
    "gateway.auth_refused": ("Google 拒绝了这份服务账号密钥（{reason}）：密钥可能已被撤销、删除或停用。"
                             "请向区工会管理员索取新的密钥文件后再同步。",
                             "Google refused this service account key ({reason}): it may have been revoked, deleted "
                             "or disabled. Ask the district administrator for a new key file and sync again."),
    "gateway.oauth_refused": ("Google 账号的登录已失效（{reason}）。请删除 {path} 后再同步，按提示重新登录。",
                              "The Google account sign-in is no longer valid ({reason}). Delete {path} and sync "
                              "again to sign in anew."),
    "gateway.auth_unavailable": ("Google 的登录服务暂时出错，已重试多次仍失败，请稍后再同步。",
                                 "Google's sign-in service had an error and retries did not help. Sync again later."),
    "gateway.clock": ("Google 拒绝了登录：这台电脑的时间与实际时间相差太大。请把系统时间校准（打开自动对时）后再同步。",
                      "Google refused the sign-in: this computer's clock is too far off. Set the system clock right "
                      "(turn on automatic time) and sync again."),
    "gateway.reason.not_json": ("不是 JSON 文件", "not a JSON file"),
    "gateway.reason.not_service_account": ("不是服务账号密钥", "not a service account key"),
    "gateway.path.not_given": ("（未指定）", "(not given)"),
    "gateway.path.oauth_client": ("（OAuth 客户端文件）", "(OAuth client file)"),
    "gateway.email.unknown": ("（服务账号邮箱）", "(the service account's e-mail)"),
})


class GatewayError(UserError):
    """Base class. ``key`` names the message; ``params`` fill it in."""

    key = "service_error"

    def __init__(self, **params: Any):
        self.params = params
        super().__init__(tr(f"gateway.{self.key}", **params))


class OfflineError(GatewayError):
    key = "offline"


class TimeoutError_(GatewayError):
    key = "timeout"


class SpreadsheetNotFound(GatewayError):
    key = "not_found"


class NotSharedError(GatewayError):
    key = "not_shared"


class QuotaExceeded(GatewayError):
    key = "quota"


class CredentialsMissing(GatewayError):
    key = "credentials_missing"


class CredentialsUnreadable(GatewayError):
    key = "credentials_unreadable"


class InsecureKeyFile(GatewayError):
    key = "key_permissions"


class ServiceError(GatewayError):
    key = "service_error"


class BadRequest(GatewayError):
    key = "bad_request"


class AmbiguousWriteError(GatewayError):
    key = "ambiguous_write"


class CredentialsRefused(GatewayError):
    """Google's token endpoint refused the key (revoked, deleted, disabled)."""

    key = "auth_refused"


class SignInExpired(GatewayError):
    """A person's OAuth sign-in was revoked or expired for good."""

    key = "oauth_refused"


class AuthUnavailable(GatewayError):
    """The token endpoint itself failed (5xx): not the key's fault."""

    key = "auth_unavailable"


class ClockWrong(GatewayError):
    """The token endpoint refused a JWT whose times are off: the clock."""

    key = "clock"


def api_error(status: int, message: str, *, spreadsheet_id: str, email: str) -> GatewayError:
    """The error for an HTTP error answer of the Sheets API."""
    if status == 404:
        return SpreadsheetNotFound(spreadsheet_id=spreadsheet_id)
    if status == 403:
        return NotSharedError(email=email)
    if status == 429:
        return QuotaExceeded()
    if status == 400:
        return BadRequest(detail=message[:300])
    return ServiceError(status=status)


# what Google's token endpoint says about a JWT whose iat/exp are off
_CLOCK_HINTS = ("reasonable timeframe", "iat and exp", "Token used too early", "Token used too late")


def refresh_error(exc: Exception, oauth_token: str | None) -> GatewayError:
    """The error for a refused token refresh (google.auth RefreshError)."""
    reason = " ".join(str(exc.args[0] if exc.args else exc).split())[:200]
    if any(hint in reason for hint in _CLOCK_HINTS):
        return ClockWrong()
    if oauth_token:
        return SignInExpired(reason=reason, path=oauth_token)
    return CredentialsRefused(reason=reason)
