/**
 * Shapes of the simulated ConnectWise resources, as the REST API 3.0 serves them (camelCase, references as
 * `{id, identifier|name}` objects). Records are built with every field present; `withoutNulls` drops the null
 * ones on the way out, because ConnectWise leaves null properties out of its JSON (an active addition has no
 * `cancelledDate` key at all), so clients must treat "missing" and "null" alike.
 */

export interface Reference {
  id: number;
  name: string;
}

export interface Company {
  id: number;
  identifier: string;
  name: string;
  status: Reference;
  deletedFlag: boolean;
  _info: { lastUpdated: string };
}

export interface Agreement {
  id: number;
  name: string;
  type: Reference;
  company: { id: number; identifier: string; name: string };
  agreementStatus: string;
  cancelledFlag: boolean;
  prorateFlag: boolean;
  noEndingDateFlag: true;
  billingCycle: Reference;
  _info: { lastUpdated: string };
}

export type BillCustomer = 'Billable' | 'DoNotBill' | 'NoCharge';
export const BILL_CUSTOMER: readonly BillCustomer[] = ['Billable', 'DoNotBill', 'NoCharge'];

export interface Addition {
  id: number;
  product: { id: number; identifier: string };
  quantity: number;
  lessIncluded: number;
  unitPrice: number;
  unitCost: number;
  billCustomer: BillCustomer;
  effectiveDate: string | null;
  cancelledDate: string | null;
  agreementId: number;
  description: string | null;
  invoiceDescription: string | null;
  taxableFlag: false;
  extPrice: number;
  extCost: number;
  _info: { lastUpdated: string };
}

export interface CatalogItem {
  id: number;
  identifier: string;
  description: string;
  customerDescription: string;
  inactiveFlag: boolean;
  price: number;
  cost: number;
  productClass: 'Service';
  subcategory: Reference;
  _info: { lastUpdated: string };
}

export type HostedSetupType = 'Tab' | 'Pod' | 'ToolbarButton';
export const HOSTED_SETUP_TYPES: readonly HostedSetupType[] = ['Tab', 'Pod', 'ToolbarButton'];

export interface HostedSetup {
  id: number;
  screenId: number;
  description: string;
  url: string;
  type: HostedSetupType;
  origin: string | null;
  podHeight: number | null;
  clientId: string | null;
  disabledFlag: boolean;
  locationsEnabledFlag: boolean;
  locationIds: number[];
  createdBy: string;
  dateCreated: string;
}

export interface MenuEntry {
  id: number;
  caption: string;
  link: string;
  newWindowFlag: boolean;
  origin: string | null;
  clientId: string | null;
  menuLocation: Reference;
  locationIds: number[];
}

export interface HostedScreen {
  id: number;
  screenId: number;
  name: string;
}

export type SecurityLevel = 'None' | 'My' | 'All';

export interface SecurityEntry {
  id: number;
  moduleIdentifier: string;
  moduleName: string;
  moduleFunctionIdentifier: string;
  moduleFunctionName: string;
  addLevel: SecurityLevel;
  editLevel: SecurityLevel;
  deleteLevel: SecurityLevel;
  inquireLevel: SecurityLevel;
}

export interface MemberInfo {
  id: number;
  identifier: string;
  firstName: string;
  lastName: string;
  fullName: string;
  defaultEmail: string;
  licenseClass: 'F' | 'A';
  inactiveFlag: false;
}

/** The screens that can host pods and tabs (the HostedReadme marks only these four as done). */
export const HOSTED_SCREENS: readonly HostedScreen[] = [
  { id: 1, screenId: 1, name: 'Company' },
  { id: 2, screenId: 2, name: 'Ticket' },
  { id: 3, screenId: 3, name: 'Contact' },
  { id: 4, screenId: 4, name: 'SalesOrder' },
];

/** Where a custom menu entry can sit; the first one is the default. */
export const MENU_LOCATIONS: readonly Reference[] = [
  { id: 1, name: 'Finance' },
  { id: 2, name: 'Companies' },
  { id: 3, name: 'Service Desk' },
  { id: 4, name: 'Procurement' },
  { id: 5, name: 'System' },
];

/** The only billing cycle the sandbox knows; every agreement bills monthly. */
export const MONTHLY: Reference = { id: 2, name: 'Monthly' };
export const CLOUD_SUBCATEGORY: Reference = { id: 1, name: 'Cloud' };

/** The field names a `conditions`/`orderBy` may use, per resource (anything else is a 400, as on ConnectWise). */
const fieldsOf = (...names: string[]) => new Set(names);
export const FIELDS = {
  company: fieldsOf('id', 'identifier', 'name', 'status', 'deletedFlag', '_info'),
  agreement: fieldsOf(
    'id',
    'name',
    'type',
    'company',
    'agreementStatus',
    'cancelledFlag',
    'prorateFlag',
    'noEndingDateFlag',
    'billingCycle',
    '_info',
  ),
  addition: fieldsOf(
    'id',
    'product',
    'quantity',
    'lessIncluded',
    'unitPrice',
    'unitCost',
    'billCustomer',
    'effectiveDate',
    'cancelledDate',
    'agreementId',
    'description',
    'invoiceDescription',
    'taxableFlag',
    'extPrice',
    'extCost',
    '_info',
  ),
  catalogItem: fieldsOf(
    'id',
    'identifier',
    'description',
    'customerDescription',
    'inactiveFlag',
    'price',
    'cost',
    'productClass',
    'subcategory',
    '_info',
  ),
  hostedScreen: fieldsOf('id', 'screenId', 'name'),
  hostedSetup: fieldsOf(
    'id',
    'screenId',
    'description',
    'url',
    'type',
    'origin',
    'podHeight',
    'clientId',
    'disabledFlag',
    'locationsEnabledFlag',
    'locationIds',
    'createdBy',
    'dateCreated',
  ),
  menuEntry: fieldsOf(
    'id',
    'caption',
    'link',
    'newWindowFlag',
    'origin',
    'clientId',
    'menuLocation',
    'locationIds',
  ),
  security: fieldsOf(
    'id',
    'moduleIdentifier',
    'moduleName',
    'moduleFunctionIdentifier',
    'moduleFunctionName',
    'addLevel',
    'editLevel',
    'deleteLevel',
    'inquireLevel',
  ),
};

/** Stable small ids for names (agreement types, company statuses): alphabetical order, from 1. */
export function idsByName(names: Iterable<string>): Map<string, number> {
  const sorted = [...new Set(names)].sort((a, b) => a.localeCompare(b));
  return new Map(sorted.map((name, i) => [name, i + 1]));
}

/** ConnectWise dates: ISO 8601 UTC to the second, e.g. 2025-07-01T00:00:00Z. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function todayMidnightUtc(): string {
  return `${new Date().toISOString().slice(0, 10)}T00:00:00Z`;
}

/** Money as ConnectWise returns it: no floating-point noise such as 66.00000000000001. */
export function money(value: number): number {
  return Math.round(value * 10000) / 10000;
}

/** Drops null and undefined properties at every depth, as ConnectWise's JSON serializer does. */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => withoutNulls(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (child !== null && child !== undefined) out[key] = withoutNulls(child);
  }
  return out as T;
}

/** Per-module security rows for a member, from the world's single `agreementsEdit` level. */
export function memberSecurity(agreementsEdit: SecurityLevel): SecurityEntry[] {
  return [
    securityRow(1, 'Companies', 'CompanyMaintenance', 'Company Maintenance', 'None', 'All'),
    securityRow(2, 'Finance', 'Agreements', 'Agreements', agreementsEdit, 'All'),
    securityRow(3, 'Procurement', 'ProductCatalog', 'Product Catalog', 'None', 'All'),
    securityRow(4, 'System', 'TableSetup', 'Table Setup', 'None', 'None'),
  ];
}

/** Security rows for an API member, derived from its permission names (`Finance.Agreements.Edit`, ...). */
export function apiKeySecurity(permissions: readonly string[]): SecurityEntry[] {
  const level = (module: string, fn: string, right: string): SecurityLevel =>
    permissions.includes(`${module}.${fn}.${right}`) ? 'All' : 'None';
  const row = (id: number, module: string, fn: string, fnName: string): SecurityEntry => ({
    ...securityRow(id, module, fn, fnName, 'None', level(module, fn, 'Inquire')),
    addLevel: level(module, fn, 'Add'),
    editLevel: level(module, fn, 'Edit'),
    deleteLevel: level(module, fn, 'Delete'),
  });
  return [
    row(1, 'Companies', 'CompanyMaintenance', 'Company Maintenance'),
    row(2, 'Finance', 'Agreements', 'Agreements'),
    row(3, 'Procurement', 'ProductCatalog', 'Product Catalog'),
    row(4, 'System', 'TableSetup', 'Table Setup'),
  ];
}

function securityRow(
  id: number,
  module: string,
  fn: string,
  fnName: string,
  change: SecurityLevel,
  inquire: SecurityLevel,
): SecurityEntry {
  return {
    id,
    moduleIdentifier: module,
    moduleName: module,
    moduleFunctionIdentifier: fn,
    moduleFunctionName: fnName,
    addLevel: change,
    editLevel: change,
    deleteLevel: change,
    inquireLevel: inquire,
  };
}
