import { Injectable, Logger } from '@nestjs/common';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { AuditService } from '../audit/audit.service';
import { AppError } from '../common/errors';
import { ConnectWiseError } from '../connectwise/connectwise.errors';
import { ConnectWiseClients } from '../connectwise/connectwise.module';
import { TenantsService } from '../tenants/tenants.service';
import { MemberClaims, SessionTokens } from './session-token';

/** The payload ConnectWise's getMemberAuthentication returns (keys as ConnectWise spells them). */
export class MemberPayloadDto {
  @IsOptional() @IsString() @MaxLength(255) site?: string;
  @IsString() @MaxLength(100) companyid: string;
  @IsString() @MaxLength(100) memberid: string;
  @IsString() @MaxLength(2000) memberHash: string;
  @IsOptional() @IsString() @MaxLength(100) memberContext?: string;
  @IsOptional() @IsString() @MaxLength(255) memberEmail?: string;
  @IsOptional() @IsString() @MaxLength(100) codeBase?: string;
}

const VERIFIED_TTL_MS = 5 * 60 * 1000;

@Injectable()
export class SessionService {
  private readonly logger = new Logger('Session');
  /** Positive verifications for a few minutes, so every page load does not cost two ConnectWise calls. */
  private readonly verified = new Map<string, { claims: MemberClaims; until: number }>();

  constructor(
    private readonly tenants: TenantsService,
    private readonly clients: ConnectWiseClients,
    private readonly tokens: SessionTokens,
    private readonly audit: AuditService,
  ) {}

  async signIn(
    payload: MemberPayloadDto,
  ): Promise<{ token: string; expiresAt: number; member: MemberClaims }> {
    const tenant = await this.tenants.findByCompanyId(payload.companyid);
    if (!tenant || tenant.uninstalledAt) {
      throw new AppError(
        401,
        'NOT_INSTALLED',
        `The plugin is not installed for the ConnectWise company "${payload.companyid}". An admin can install it at /install.`,
      );
    }
    const cacheKey = `${tenant.id}:${payload.memberid.toLowerCase()}:${payload.memberHash}`;
    const cached = this.verified.get(cacheKey);
    let claims = cached && cached.until > Date.now() ? cached.claims : null;
    if (!claims) {
      claims = await this.verify(tenant, payload);
      this.verified.set(cacheKey, { claims, until: Date.now() + VERIFIED_TTL_MS });
      await this.audit.record({
        tenantId: tenant.id,
        actor: claims.memberId,
        action: 'sign_in',
        entity: 'member',
        entityId: claims.memberId,
        after: { canEdit: claims.canEdit },
      });
    }
    const { token, expiresAt } = this.tokens.issue(claims);
    return { token, expiresAt, member: claims };
  }

  /**
   * Asks ConnectWise who this is, on the host stored at install — never the `site` the browser sent, which would
   * let a page send a member's hash to a host of its choosing.
   */
  private async verify(
    tenant: Parameters<TenantsService['target']>[0] & { id: number },
    payload: MemberPayloadDto,
  ): Promise<MemberClaims> {
    const client = this.clients.for(this.tenants.target(tenant, payload.memberid, payload.memberHash));
    try {
      const info = await client.myMemberInfo();
      if (!info?.identifier || info.identifier.toLowerCase() !== payload.memberid.toLowerCase()) {
        throw new AppError(
          401,
          'MEMBER_MISMATCH',
          'ConnectWise did not confirm this member. Reload the page in ConnectWise.',
        );
      }
      const security = await client.mySecurity();
      const agreements = security.find(
        (s) =>
          s.moduleIdentifier?.toLowerCase() === 'finance' &&
          s.moduleFunctionIdentifier?.toLowerCase() === 'agreements',
      );
      const name = [info.firstName, info.lastName].filter(Boolean).join(' ') || info.identifier;
      return {
        tenantId: tenant.id,
        memberId: info.identifier,
        name,
        canEdit: agreements?.editLevel === 'All',
      };
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (error instanceof ConnectWiseError && (error.status === 401 || error.status === 403)) {
        throw new AppError(
          401,
          'INVALID_MEMBER',
          'ConnectWise did not accept this sign-in. Reload the page in ConnectWise to sign in again.',
        );
      }
      this.logger.warn(`Member verification failed: ${(error as Error).message}`);
      throw new AppError(
        502,
        'CONNECTWISE_ERROR',
        'ConnectWise could not confirm who you are right now. Try again in a minute.',
      );
    }
  }
}
