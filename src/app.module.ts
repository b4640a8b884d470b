import * as path from 'node:path';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppRiverModule } from './appriver/appriver.module';
import { ScreensModule } from './screens/screens.module';
import { MappingModule } from './mapping/mapping.module';
import { SyncModule } from './sync/sync.module';
import { ReviewModule } from './review/review.module';
import { AuditModule } from './audit/audit.service';
import { APP_CONFIG, AppConfig } from './config/config';
import { ConnectWiseModule, CW_ORIGIN_RESOLVER } from './connectwise/connectwise.module';
import { HealthController } from './health/health.controller';
import { SandboxHost } from './sandbox/sandbox-host';
import { sandboxCwOrigin } from './sandbox/sandbox-resolvers';
import { SandboxModule } from './sandbox/sandbox.module';
import { World } from './sandbox/world';
import { SessionTokens } from './session/session-token';
import { SessionModule } from './session/session.module';
import { PUBLIC_ORIGIN } from './tenants/tenants.service';
import { TenantsModule } from './tenants/tenants.module';

export interface AppDeps {
  config: AppConfig;
  dataSource: DataSource;
  masterKey: Buffer;
  /** Present in sandbox mode only. */
  sandbox?: { world: World; host: SandboxHost };
}

@Module({})
export class AppModule {
  static register({ config, dataSource, masterKey, sandbox }: AppDeps): DynamicModule {
    const core: Provider[] = [
      { provide: APP_CONFIG, useValue: config },
      { provide: SessionTokens, useValue: new SessionTokens(masterKey) },
      // Live: the configured public URL. Sandbox: wherever this process ended up listening.
      { provide: PUBLIC_ORIGIN, useValue: () => config.publicUrl ?? sandbox!.host.url },
      ...(sandbox
        ? [{ provide: CW_ORIGIN_RESOLVER, useValue: sandboxCwOrigin(sandbox.world, sandbox.host) }]
        : []),
    ];
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSource.options,
          dataSourceFactory: async () => dataSource,
        }),
        {
          module: CoreModule,
          global: true,
          providers: core,
          exports: core.map((p) => (p as { provide: symbol }).provide),
        },
        ConnectWiseModule,
        AuditModule,
        TenantsModule,
        SessionModule,
        AppRiverModule,
        MappingModule,
        SyncModule,
        ReviewModule,
        ScreensModule,
        ...(sandbox
          ? [
              SandboxModule.register(
                sandbox.world,
                sandbox.host,
                config.sandboxPersist ? path.join(config.dataDir, 'sandbox-connectwise.json') : null,
              ),
            ]
          : []),
      ],
      controllers: [HealthController],
    };
  }
}

@Module({})
class CoreModule {}
