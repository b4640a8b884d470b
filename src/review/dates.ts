import type { TenantSettings } from '../tenants/tenant.entity';

const day = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/** When a new addition starts billing: today, or the first of next month (the tenant's setting). */
export function effectiveDate(setting: TenantSettings['effectiveDate'], now = new Date()): string {
  const d =
    setting === 'today' ? day(now) : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return d.toISOString().replace('.000Z', 'Z');
}

/** When a cancelled addition stops billing: today, or the last day of this month (the period already billed). */
export function cancelDate(setting: TenantSettings['effectiveDate'], now = new Date()): string {
  const d =
    setting === 'today' ? day(now) : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0));
  return d.toISOString().replace('.000Z', 'Z');
}
