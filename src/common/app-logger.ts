import { ConsoleLogger } from '@nestjs/common';

// Nest's start-up chatter (every module and route) buries the one line a person needs at start.
const QUIET = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

export class AppLogger extends ConsoleLogger {
  log(message: unknown, context?: string): void {
    if (context && QUIET.has(context)) return;
    super.log(message, context);
  }
}
