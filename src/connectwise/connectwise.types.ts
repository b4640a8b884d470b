// The slices of ConnectWise records we read and write (camelCase as the API sends them).

export interface CwRef {
  id: number;
  identifier?: string;
  name?: string;
}

export interface CwCompany {
  id: number;
  identifier: string;
  name: string;
  status?: { id?: number; name?: string } | null;
  deletedFlag?: boolean;
}

export interface CwAgreement {
  id: number;
  name: string;
  type?: { id?: number; name?: string } | null;
  company: CwRef;
  agreementStatus?: string;
  cancelledFlag?: boolean;
}

export interface CwAddition {
  id: number;
  product: { id: number; identifier?: string };
  quantity: number;
  unitPrice?: number | null;
  unitCost?: number | null;
  billCustomer?: string;
  effectiveDate?: string | null;
  cancelledDate?: string | null;
  agreementId?: number;
  _info?: { lastUpdated?: string };
}

export interface CwNewAddition {
  product: { id: number };
  quantity: number;
  billCustomer: 'Billable' | 'DoNotBill' | 'NoCharge';
  unitPrice?: number;
  unitCost?: number;
  effectiveDate?: string;
  description?: string;
}

export interface CwCatalogItem {
  id: number;
  identifier: string;
  description: string;
  price?: number | null;
  cost?: number | null;
  inactiveFlag?: boolean;
}

export interface CwPatchOp {
  op: 'replace' | 'add' | 'remove';
  path: string;
  value?: unknown;
}

export interface CwCompanyInfo {
  CompanyName?: string;
  Codebase: string;
  VersionCode?: string;
  CompanyID?: string;
  IsCloud?: string | boolean;
  SiteUrl?: string;
}

export interface CwMemberInfo {
  id: number;
  identifier: string;
  firstName?: string;
  lastName?: string;
  defaultEmail?: string;
  inactiveFlag?: boolean;
}

export interface CwSecurityEntry {
  moduleIdentifier?: string;
  moduleFunctionIdentifier?: string;
  moduleFunctionName?: string;
  addLevel?: 'None' | 'My' | 'All' | null;
  editLevel?: 'None' | 'My' | 'All' | null;
  inquireLevel?: 'None' | 'My' | 'All' | null;
}

export interface CwHostedScreen {
  id: number;
  screenId: number;
  name: string;
}

export interface CwHostedSetup {
  id?: number;
  screenId: number;
  description: string;
  url: string;
  type: 'Tab' | 'Pod' | 'ToolbarButton';
  origin: string;
  podHeight?: number;
  clientId?: string;
  disabledFlag?: boolean;
}

export interface CwMenuEntry {
  id?: number;
  caption: string;
  link: string;
  origin: string;
  newWindowFlag?: boolean;
  clientId?: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
