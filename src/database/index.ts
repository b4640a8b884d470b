export * from './encryption';
export * from './columns';
