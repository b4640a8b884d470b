import type { AppConfig } from '../config/config';

// The production hosts (research/appriver.md §1); config.ts uses the same defaults.
export const APPRIVER_REAL_AUTH_BASE_URL = 'https://unityapi.webrootcloudav.com';
export const APPRIVER_REAL_API_BASE_URL = `${APPRIVER_REAL_AUTH_BASE_URL}/service/api/securecloud`;
/** Where the simulated AppRiver is mounted inside the sandbox process. */
export const APPRIVER_SANDBOX_PATH = '/sandbox/appriver';

/**
 * The AppRiver URLs to use. In sandbox mode the real defaults are swapped for the simulator in this process;
 * URLs the environment set explicitly are kept, so a sandbox can also talk to a beta or a stub elsewhere.
 * Call it per use, not at construction: the sandbox host is only known once the server listens.
 */
export function appRiverEndpoints(config: AppConfig, sandboxHost?: { url: string }): AppConfig['appriver'] {
  const ar = config.appriver;
  if (!config.sandbox || !sandboxHost) return ar;
  const simulated = `${sandboxHost.url.replace(/\/$/, '')}${APPRIVER_SANDBOX_PATH}`;
  return {
    ...ar,
    authBaseUrl: ar.authBaseUrl === APPRIVER_REAL_AUTH_BASE_URL ? simulated : ar.authBaseUrl,
    apiBaseUrl:
      ar.apiBaseUrl === APPRIVER_REAL_API_BASE_URL ? `${simulated}/service/api/securecloud` : ar.apiBaseUrl,
  };
}
