import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from './config/config';
import { HealthController } from './health/health.controller';
import { SandboxHost } from './sandbox/sandbox-host';
import { SandboxModule } from './sandbox/sandbox.module';
import { World } from './sandbox/world';

export interface AppDeps {
  config: AppConfig;
  dataSource: DataSource;
  /** Present in sandbox mode only. */
  sandbox?: { world: World; host: SandboxHost };
}

@Module({})
export class AppModule {
  static register({ config, dataSource, sandbox }: AppDeps): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSource.options,
          dataSourceFactory: async () => dataSource,
        }),
        {
          module: ConfigHolder,
          global: true,
          providers: [{ provide: APP_CONFIG, useValue: config }],
          exports: [APP_CONFIG],
        },
        ...(sandbox ? [SandboxModule.register(sandbox.world, sandbox.host)] : []),
      ],
      controllers: [HealthController],
    };
  }
}

@Module({})
class ConfigHolder {}
