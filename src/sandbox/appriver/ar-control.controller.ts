import { Controller, HttpCode, Post } from '@nestjs/common';
import { ArSimState } from './ar-sim.state';

/** Sandbox-only switches for the simulated AppRiver; not part of the real API, so no faults and no stats. */
@Controller('sandbox/appriver')
export class ArControlController {
  constructor(private readonly state: ArSimState) {}

  /** Every access and refresh token stops working, as when a partner regenerates the API credentials. */
  @Post('revoke')
  @HttpCode(200)
  revoke() {
    return { revoked: this.state.revokeAll() };
  }

  /** Every access token expires now (refresh tokens stay good), to exercise the transparent refresh. */
  @Post('expire-access-tokens')
  @HttpCode(200)
  expireAccessTokens() {
    return { expired: this.state.expireAccessTokens() };
  }
}
