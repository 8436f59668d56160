"""API shapes of accounts and tokens."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from chainkeeper.auth.roles import Role


class LoginIn(BaseModel):
    """Credentials."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class UserOut(BaseModel):
    """A user as the API shows it (never the password hash)."""

    id: int
    username: str
    display_name: str
    email: str
    language: str
    is_active: bool
    roles: list[Role]
    enterprise_id: int | None
    region_code: str | None

    @classmethod
    def of(cls, user) -> UserOut:
        """Build from an ORM user."""
        return cls(id=user.id, username=user.username, display_name=user.display_name, email=user.email,
                   language=user.language, is_active=user.is_active, roles=sorted(user.role_set),
                   enterprise_id=user.enterprise_id, region_code=user.region_code)


class SessionOut(BaseModel):
    """A started session: the user and the CSRF token to send with every unsafe request."""

    user: UserOut
    csrf_token: str


class PasswordChangeIn(BaseModel):
    """Current and new password."""

    current: str = Field(max_length=256)
    new: str = Field(max_length=256)


class UserIn(BaseModel):
    """A new account."""

    username: str = Field(pattern=r"^[A-Za-z0-9_.\-]{3,64}$")
    display_name: str = Field(min_length=1, max_length=128)
    password: str = Field(max_length=256)
    email: str = Field(default="", max_length=256)
    roles: set[Role] = Field(min_length=1)
    enterprise_uscc: str | None = None
    region_code: str | None = Field(default=None, pattern=r"^\d{2}(\d{2}(\d{2})?)?$")
    language: str = "zh_CN"


class RolesIn(BaseModel):
    """New roles and bindings of a user."""

    roles: set[Role] = Field(min_length=1)
    enterprise_uscc: str | None = None
    region_code: str | None = Field(default=None, pattern=r"^\d{2}(\d{2}(\d{2})?)?$")
    is_active: bool = True


class TokenIn(BaseModel):
    """A token request."""

    name: str = Field(min_length=1, max_length=128)
    roles: set[Role] | None = None
    days: int = Field(default=90, ge=1, le=366)


class TokenOut(BaseModel):
    """A token (the secret only in the response that created it)."""

    id: int
    name: str
    prefix: str
    roles: list[str]
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    secret: str | None = None

    @classmethod
    def of(cls, token, secret: str | None = None) -> TokenOut:
        """Build from an ORM token."""
        return cls(id=token.id, name=token.name, prefix=token.prefix, roles=token.roles.split(","),
                   expires_at=token.expires_at, revoked_at=token.revoked_at, last_used_at=token.last_used_at,
                   secret=secret)
