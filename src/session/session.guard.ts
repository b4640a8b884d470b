import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../common/errors';
import { MemberClaims, SessionTokens } from './session-token';

export type MemberRequest = Request & { member?: MemberClaims };

/** Every /api route except install, session and health: a valid, unexpired bearer token from POST /api/session. */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(private readonly tokens: SessionTokens) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<MemberRequest>();
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token) throw new AppError(401, 'NO_SESSION', 'Sign in again: open this page from ConnectWise.');
    const check = this.tokens.verify(token);
    if (!check.ok) {
      throw check.reason === 'expired'
        ? new AppError(
            401,
            'TOKEN_EXPIRED',
            'Your session expired. The page signs you in again automatically.',
          )
        : new AppError(
            401,
            'BAD_TOKEN',
            'This session token is not valid. Reopen the page from ConnectWise.',
          );
    }
    req.member = check.claims;
    return true;
  }
}

export const Member = createParamDecorator((_: unknown, ctx: ExecutionContext): MemberClaims => {
  const member = ctx.switchToHttp().getRequest<MemberRequest>().member;
  if (!member) throw new AppError(401, 'NO_SESSION', 'Sign in again: open this page from ConnectWise.');
  return member;
});

/** Server-side check for anything that changes billing data: read-only members get a 403, not just a hidden button. */
export function requireEdit(member: MemberClaims): void {
  if (!member.canEdit) {
    throw new AppError(
      403,
      'READ_ONLY',
      'You can look but not change: your ConnectWise security role has no Finance > Agreements edit rights.',
    );
  }
}
