import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../config/paths';

export interface ManifestPermission {
  id: string;
  module: string;
  function: string;
  level: string;
  why: string;
}

export type ManifestEntry =
  | { key: string; kind: 'menu'; caption: string; path: string; newWindow: boolean }
  | { key: string; kind: 'pod'; screen: string; description: string; path: string; podHeight: number };

export interface Manifest {
  appId: string;
  name: string;
  version: string;
  vendor: { name: string; url: string; supportEmail: string };
  description: string;
  permissions: ManifestPermission[];
  hostedEntries: ManifestEntry[];
  oauth: { callbackPath: string };
}

export const MANIFEST_FILE = path.join(PROJECT_ROOT, 'manifest.json');

let cached: Manifest | null = null;

/** The marketplace manifest: the installer registers its hosted entries and checks its permissions. */
export function manifest(): Manifest {
  cached ??= JSON.parse(fs.readFileSync(MANIFEST_FILE, 'utf8')) as Manifest;
  return cached;
}
