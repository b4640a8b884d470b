import 'reflect-metadata';
import { createApp, listen } from './app';
import { ConfigError, loadConfig } from './config/config';
import { WorldError } from './sandbox/world';

async function main() {
  const config = loadConfig();
  const app = await createApp(config);
  const origin = await listen(app, config);
  console.log(
    config.sandbox
      ? `AppRiver Reconcile (sandbox, ${config.database.type}) ready: open ${origin}/sandbox`
      : `AppRiver Reconcile (live, ${config.database.type}) listening on ${origin}`,
  );
}

main().catch((error) => {
  // Config, world and database problems are already written for a person; anything else gets its stack.
  const known =
    error instanceof ConfigError || error instanceof WorldError || /^Cannot open the/.test(error?.message);
  console.error(known ? error.message : error);
  process.exit(1);
});
