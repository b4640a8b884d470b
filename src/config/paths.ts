import * as path from 'node:path';

/** The project root, whether running from src/ (ts-node, jest) or from dist/src/ (npm start). */
export const PROJECT_ROOT = path.resolve(
  __dirname,
  __dirname.split(path.sep).includes('dist') ? '../../..' : '../..',
);
export const VIEWS_DIR = path.join(PROJECT_ROOT, 'views');
export const PUBLIC_DIR = path.join(PROJECT_ROOT, 'public');
export const DEMO_WORLD = path.join(PROJECT_ROOT, 'src/sandbox/worlds/demo.json');
