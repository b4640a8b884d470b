import { DynamicModule, Module } from '@nestjs/common';
import { SandboxController } from './sandbox.controller';
import { SandboxHost } from './sandbox-host';
import { WORLD } from './sandbox.tokens';
import { World } from './world';

/** Only imported in sandbox mode: the simulated ConnectWise and AppRiver, and the landing page. */
@Module({})
export class SandboxModule {
  static register(world: World, host: SandboxHost): DynamicModule {
    return {
      module: SandboxModule,
      global: true,
      controllers: [SandboxController],
      providers: [
        { provide: WORLD, useValue: world },
        { provide: SandboxHost, useValue: host },
      ],
      exports: [WORLD, SandboxHost],
    };
  }
}
