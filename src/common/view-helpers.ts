type Hbs = { registerHelper(name: string, fn: (...args: any[]) => unknown): void };

/** The few helpers the templates need; logic stays in view models. */
export function registerHelpers(hbs: Hbs): void {
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('json', (value: unknown) => JSON.stringify(value ?? null).replace(/</g, '\\u003c'));
  hbs.registerHelper('money', (value: number | null | undefined) =>
    value == null ? '—' : value.toLocaleString('en-US', { style: 'currency', currency: 'USD' }),
  );
  hbs.registerHelper('qty', (value: number | null | undefined) => (value == null ? '—' : String(value)));
}
