import { createHash, randomUUID } from 'node:crypto';
import { WorldCustomer, WorldSubscription } from '../world';

// How the simulated Secure Cloud API renders world data: PascalCase, quantities as strings, absent fields
// absent (research/appriver.md §3). Values the world does not hold (dates, address) are derived from the ids,
// so they are stable across restarts.

/** The Unity error envelope. */
export function arError(statusCode: number, error: string, description: string) {
  return {
    statusCode,
    requestId: randomUUID(),
    error,
    error_description: description,
    AdditionalInformation: {},
  };
}

function hash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

const DAY = 86_400_000;
const TERM_MONTHS: Record<string, number> = {
  Monthly: 1,
  Quarterly: 3,
  Biannual: 6,
  Annual: 12,
  Triennial: 36,
};

export function customerBody(c: WorldCustomer) {
  const since = new Date(Date.UTC(2018, 0, 1) + (hash(c.CustomerId) % 2400) * DAY + (hash(c.Name) % DAY));
  return {
    CustomerId: c.CustomerId,
    CustomerNumber: c.CustomerNumber,
    Currency: 'USD',
    CustomerSince: since.toISOString(),
    IsClosed: c.IsClosed,
    Name: c.Name,
    CustomerType: c.CustomerType,
    AddressLine1: `${100 + (hash(c.CustomerNumber) % 900)} Main St`,
    AddressLine2: '',
    StateOrProvince: 'FL',
    Country: 'US',
    Municipality: 'Pensacola',
    PostalCode: '32501',
    // .NET serialises a missing string as null, not by leaving the key out.
    Website: c.Website ?? null,
    Industry: 'Other',
    Culture: 'en-US',
    TimeZone: 'Central Standard Time',
    ExternalCustomerAccountNumber: c.ExternalCustomerAccountNumber ?? null,
    AutoConvertTrials: true,
  };
}

export function subscriptionListItem(s: WorldSubscription) {
  return {
    SubscriptionKey: s.SubscriptionKey,
    ProductName: s.ProductName,
    SubscriptionStatus: s.SubscriptionStatus,
    IsTrial: s.IsTrial,
    SubscriptionTerm: s.SubscriptionTerm,
    BillingFrequency: s.BillingFrequency,
  };
}

function category(productName: string): string {
  if (/microsoft|office|exchange|teams|copilot/i.test(productName)) return 'Microsoft 365';
  if (/email|securetide|archiv/i.test(productName)) return 'Email Security';
  if (/backup/i.test(productName)) return 'Backup';
  if (/training|awareness/i.test(productName)) return 'Security Awareness';
  return 'Other';
}

/** The current term: a stable anniversary from the key, rolled forward until it ends after `now`. */
function term(s: WorldSubscription, now: Date): { start: Date; end: Date } {
  const months = TERM_MONTHS[s.SubscriptionTerm] ?? 1;
  const anchor = new Date(
    Date.UTC(2022, hash(s.SubscriptionKey) % 12, 1 + (hash(`${s.SubscriptionKey}#`) % 28)),
  );
  const start = new Date(anchor);
  const endOf = (d: Date) =>
    new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate()) - 1000);
  while (endOf(start) <= now) start.setUTCMonth(start.getUTCMonth() + months);
  return { start, end: endOf(start) };
}

export function subscriptionDetail(customer: WorldCustomer, s: WorldSubscription, now = new Date()) {
  const { start, end } = term(s, now);
  const parts = s.SubscriptionKey.split('-');
  const domain = parts.length > 3 ? parts.slice(3).join('-') : (customer.Website ?? undefined);
  const configurable: { Name: string; Value: string }[] = [];
  const readonly: { Name: string; Value: string }[] = [];
  if (s.SubscriptionQuantity !== undefined) {
    configurable.push({ Name: 'SubscriptionQuantity', Value: String(s.SubscriptionQuantity) });
  }
  if (s.TotalLicenses !== undefined) readonly.push({ Name: 'TotalLicenses', Value: String(s.TotalLicenses) });
  if (s.AssignedLicenses !== undefined) {
    readonly.push({ Name: 'AssignedLicenses', Value: String(s.AssignedLicenses) });
    if (s.TotalLicenses !== undefined) {
      readonly.push({
        Name: 'UnassignedLicenses',
        Value: String(Math.max(0, s.TotalLicenses - s.AssignedLicenses)),
      });
    }
  }
  if ((TERM_MONTHS[s.SubscriptionTerm] ?? 1) >= 12)
    readonly.push({ Name: 'CommitmentEndDate', Value: end.toISOString() });
  const cancelled = s.SubscriptionStatus === 'Cancelled';
  const uninstalling = s.SubscriptionStatus === 'Scheduled to Uninstall';
  return {
    SubscriptionKey: s.SubscriptionKey,
    ProductName: s.ProductName,
    Categories: [category(s.ProductName)],
    ...(domain ? { Domain: domain } : {}),
    Aliases: [],
    IsTrial: s.IsTrial,
    SubscriptionTerm: s.SubscriptionTerm,
    BillingFrequency: s.BillingFrequency,
    ExpirationBehavior: 'AutoRenew',
    SubscriptionStatus: s.SubscriptionStatus,
    StartDate: start.toISOString(),
    ExpirationDate: end.toISOString(),
    CancellationDate: cancelled
      ? new Date(Math.min(now.getTime(), end.getTime()) - 20 * DAY).toISOString()
      : null,
    CancellationGracePeriod: 0,
    ScheduledUninstallDate: uninstalling ? end.toISOString() : null,
    ConfigurableSubscriptionDetails: configurable,
    ReadonlySubscriptionDetails: readonly,
  };
}

/** A key as sent in the path: as is (after URL decoding) or Base64 of it, as AppRiver documents. */
export function findSubscription(customer: WorldCustomer, key: string): WorldSubscription | undefined {
  const exact = customer.subscriptions.find((s) => s.SubscriptionKey === key);
  if (exact) return exact;
  // Standard Base64 with its padding, the form .NET's Convert.FromBase64String takes.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || key.length % 4 !== 0) return undefined;
  const decoded = Buffer.from(key, 'base64');
  if (decoded.toString('base64') !== key) return undefined;
  const text = decoded.toString('utf8');
  return customer.subscriptions.find((s) => s.SubscriptionKey === text);
}
