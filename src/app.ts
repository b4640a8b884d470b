import { LogLevel, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import hbs from 'hbs';
import * as path from 'node:path';
import { AddressInfo } from 'node:net';
import { AppModule } from './app.module';
import { AppConfig } from './config/config';
import { PUBLIC_DIR, VIEWS_DIR } from './config/paths';
import { AppLogger } from './common/app-logger';
import { badRequest } from './common/errors';
import { securityHeaders } from './common/security-headers';
import { AllExceptionsFilter } from './common/exception.filter';
import { requestLogger } from './common/request-logger';
import { resolveEncryptionKey, setEncryptionKey } from './database';
import { openDatabase } from './database/data-source';
import { registerHelpers } from './common/view-helpers';
import { WriteBackService } from './review/write-back.service';
import { SandboxHost } from './sandbox/sandbox-host';
import { loadWorld } from './sandbox/world';

const LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
};

/** Pages ConnectWise frames: the menu-entry app, the pods and the OAuth pop-up's landing page. */
const FRAMED_PATHS = ['/app', '/pod', '/screens'];

function frameAncestors(config: AppConfig, host?: SandboxHost): string[] {
  const sandboxOrigin = host ? [safe(() => host.url)] : [];
  return [...config.connectwise.allowedOrigins, ...sandboxOrigin].filter(Boolean) as string[];
}

const safe = <T>(fn: () => T): T | null => {
  try {
    return fn();
  } catch {
    return null;
  }
};

/** Builds the whole application; main.ts and the e2e tests both start it this way. */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const masterKey = resolveEncryptionKey(config.encryptionKey, config.dataDir, config.sandbox);
  setEncryptionKey(masterKey);
  // The world is validated before anything else starts, so a broken file stops the start with its problems listed.
  const sandbox = config.sandbox
    ? { world: loadWorld(config.sandboxWorld), host: new SandboxHost() }
    : undefined;
  const dataSource = await openDatabase(config.database);

  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.register({ config, dataSource, masterKey, sandbox }),
    {
      logger: new AppLogger({
        logLevels: LEVELS[config.logLevel],
        colors: !process.env.CI && process.stdout.isTTY,
      }),
    },
  );
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(requestLogger(['/public', '/health']));
  app.use(securityHeaders(() => frameAncestors(config, sandbox?.host), FRAMED_PATHS));
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      transform: true,
      exceptionFactory: (errors) =>
        badRequest(
          'VALIDATION',
          errors.flatMap((e) => Object.values(e.constraints ?? {})).join('; '),
          errors.map((e) => ({ field: e.property, problems: Object.values(e.constraints ?? {}) })),
        ),
    }),
  );
  app.useStaticAssets(PUBLIC_DIR, { prefix: '/public', maxAge: config.sandbox ? 0 : '1h' });
  app.setBaseViewsDir(VIEWS_DIR);
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layouts/main' });
  hbs.registerPartials(path.join(VIEWS_DIR, 'partials'));
  registerHelpers(hbs);
  app.enableShutdownHooks();
  return app;
}

/** Listens and, in sandbox mode, tells the simulators where they are. */
export async function listen(
  app: NestExpressApplication,
  config: AppConfig,
  port = config.port,
): Promise<string> {
  await app.listen(port, config.host);
  const address = app.getHttpServer().address() as AddressInfo;
  const origin = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${address.port}`;
  if (config.sandbox) app.get(SandboxHost).setOrigin(`http://127.0.0.1:${address.port}`);
  await app.get(WriteBackService).resumeAll();
  return origin;
}
