"""Sign-in for the API (OAuth2 password flow, bearer tokens) and the account of the signed-in user."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from app.accounts import service
from app.accounts.deps import Public, SignedIn, client_addr, request_id
from app.accounts.schemas import Me
from app.config import get_settings
from app.db import SessionDep
from app.responses import POND_WRITE, SIGNED_IN, errors

router = APIRouter(prefix="/api/auth", tags=["accounts"], responses=SIGNED_IN)


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="seconds")


class PasswordChange(BaseModel):
    current_password: str = Field(max_length=256)
    new_password: str = Field(max_length=256)


@router.post(
    "/token",
    response_model=Token,
    summary="Sign in (OAuth2 password flow): a bearer token with expiry",
    responses=errors(400, 401, 422, 429),
)
def token(
    request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep, _: Public
) -> Token:
    user = service.authenticate(session, form.username, form.password, client_addr(request), request_id(request))
    secret, _csrf, _expires = service.sign_in(session, user, "api", request_id(request), client_addr(request))
    session.commit()
    return Token(access_token=secret, expires_in=int(get_settings().token_minutes * 60))


@router.post(
    "/logout", status_code=204, summary="Sign out: the token (or web session) stops working", responses=POND_WRITE
)
def logout(request: Request, actor: SignedIn, session: SessionDep) -> Response:
    service.sign_out(session, actor, request_id(request), client_addr(request))
    session.commit()
    return Response(status_code=204)


@router.get("/me", response_model=Me, summary="The signed-in user, role and organisation")
def me(actor: SignedIn) -> dict[str, Any]:
    return actor.to_json()


@router.post(
    "/password", status_code=204, summary="Change one's password; other sessions are signed out", responses=POND_WRITE
)
def change_password(body: PasswordChange, actor: SignedIn, session: SessionDep) -> Response:
    service.change_password(session, actor, body.current_password, body.new_password)
    session.commit()
    return Response(status_code=204)
