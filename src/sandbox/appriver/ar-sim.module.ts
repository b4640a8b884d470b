import { Module } from '@nestjs/common';
import { ArApiController } from './ar-api.controller';
import { ArAuthController } from './ar-auth.controller';
import { ArControlController } from './ar-control.controller';
import { ArSimState } from './ar-sim.state';

/**
 * The simulated AppRiver (Secure Cloud IDP, token endpoint, Secure Cloud resources), mounted under
 * /sandbox/appriver. WORLD, SandboxFaults and SandboxStats come from the global SandboxModule.
 */
@Module({
  controllers: [ArAuthController, ArControlController, ArApiController],
  providers: [ArSimState],
})
export class ArSimModule {}
