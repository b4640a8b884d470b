export const WORLD = Symbol('WORLD');
