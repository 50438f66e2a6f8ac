"""How the gateway gets a gspread client: the emulator (no credentials), a
service-account key file (checked: present, mode 600, a real key), or a
person's Google account (OAuth installed-app flow, token cached mode 600).
gspread and google.* are imported lazily, inside functions."""

from __future__ import annotations

import json
import os
import shlex
import stat
from pathlib import Path
from typing import Any

from domain.i18n import tr
from domain.privacy import make_private_dir

from .gateway_errors import CredentialsMissing, CredentialsUnreadable, InsecureKeyFile

GOOGLE_HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")
SCOPES = ["https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive.file"]
EMULATOR_EMAIL = "emulator@union-ledger-emulator.iam.gserviceaccount.com"


def make_emulator_session(endpoint: str):
    """A requests.Session sending Google's hosts to ``endpoint`` (gspread's
    URLs are constants imported by value; the session is its documented
    hook)."""
    import requests

    base = endpoint.rstrip("/")

    class EmulatorSession(requests.Session):
        def request(self, method, url, *args, **kwargs):  # type: ignore[override]
            for host in GOOGLE_HOSTS:
                if isinstance(url, str) and url.startswith(host):
                    url = base + url[len(host):]
                    break
            return super().request(method, url, *args, **kwargs)

    return EmulatorSession()


def _refuse_if_shared(p: Path) -> None:
    """A secret readable by other users is refused (POSIX)."""
    if os.name == "posix" and stat.S_IMODE(p.stat().st_mode) & 0o077:
        raise InsecureKeyFile(path=str(p), quoted_path=shlex.quote(str(p)))


def check_key_file(path: str | os.PathLike) -> dict:
    """Validate a service-account key file; returns its parsed JSON."""
    p = Path(os.path.expanduser(os.fspath(path)))
    if not p.exists():
        raise CredentialsMissing(path=str(p))
    try:
        _refuse_if_shared(p)
        info = json.loads(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise CredentialsUnreadable(path=str(p), reason=e.strerror or type(e).__name__) from None
    except ValueError:
        raise CredentialsUnreadable(path=str(p), reason=tr("gateway.reason.not_json")) from None
    if not isinstance(info, dict) or info.get("type") != "service_account" or "client_email" not in info \
            or "private_key" not in info:
        raise CredentialsUnreadable(path=str(p), reason=tr("gateway.reason.not_service_account"))
    return info


def default_token_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("union-ledger")) / "google-authorized-user.json"


def open_client(endpoint: str | None, credentials: str | os.PathLike | None,
                oauth_client_file: str | os.PathLike | None) -> tuple[Any, str | None]:
    """(gspread client, the e-mail the sheet must be shared with, if known)."""
    import gspread  # lazy: costs ~0.4 s

    if endpoint:
        return gspread.Client(auth=None, session=make_emulator_session(endpoint)), EMULATOR_EMAIL
    if credentials is None:
        raise CredentialsMissing(path=tr("gateway.path.not_given"))
    if credentials == "oauth":
        return _oauth_client(oauth_client_file), None
    info = check_key_file(credentials)
    from google.oauth2.service_account import Credentials

    try:
        creds = Credentials.from_service_account_info(info, scopes=SCOPES)
    except (ValueError, KeyError) as e:
        raise CredentialsUnreadable(path=str(credentials), reason=type(e).__name__) from None
    return gspread.Client(auth=creds), info["client_email"]


def _oauth_client(oauth_client_file: str | os.PathLike | None) -> Any:
    """A person's account: browser sign-in the first time, then the cached
    token (kept mode 600)."""
    import gspread

    if oauth_client_file is None:
        raise CredentialsMissing(path=tr("gateway.path.oauth_client"))
    cf = Path(os.path.expanduser(os.fspath(oauth_client_file)))
    if not cf.exists():
        raise CredentialsMissing(path=str(cf))
    tp = default_token_path()
    make_private_dir(tp.parent)
    if tp.exists():
        _refuse_if_shared(tp)
    old_umask = os.umask(0o077)  # gspread writes the token itself: never readable by others, not even briefly
    try:
        client = gspread.oauth(scopes=SCOPES, credentials_filename=str(cf), authorized_user_filename=str(tp))
    except (OSError, ValueError) as e:
        raise CredentialsUnreadable(path=str(cf), reason=type(e).__name__) from None
    finally:
        os.umask(old_umask)
    if tp.exists():
        os.chmod(tp, 0o600)
    return client
