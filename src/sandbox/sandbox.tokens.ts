export const WORLD = Symbol('WORLD');

/** Where the simulated ConnectWise keeps its state between restarts (null: in memory only). */
export const SANDBOX_STATE_FILE = Symbol('SANDBOX_STATE_FILE');
