import { DynamicModule, Module } from '@nestjs/common';
import { ArSimModule } from './appriver/ar-sim.module';
import { CwSimModule } from './connectwise/cw-sim.module';
import { CwShellModule } from './cw-shell.module';
import { SandboxFaults, SandboxStats } from './faults';
import { SandboxController } from './sandbox.controller';
import { SandboxHost } from './sandbox-host';
import { SANDBOX_STATE_FILE, WORLD } from './sandbox.tokens';
import { World } from './world';

/** Only imported in sandbox mode: the simulated ConnectWise and AppRiver, and the landing page. */
@Module({})
export class SandboxModule {
  static register(world: World, host: SandboxHost, stateFile: string | null = null): DynamicModule {
    return {
      module: SandboxModule,
      global: true,
      imports: [CwSimModule, ArSimModule, CwShellModule],
      controllers: [SandboxController],
      providers: [
        { provide: WORLD, useValue: world },
        { provide: SANDBOX_STATE_FILE, useValue: stateFile },
        { provide: SandboxHost, useValue: host },
        { provide: SandboxFaults, useValue: new SandboxFaults(world) },
        SandboxStats,
      ],
      exports: [WORLD, SANDBOX_STATE_FILE, SandboxHost, SandboxFaults, SandboxStats],
    };
  }
}
