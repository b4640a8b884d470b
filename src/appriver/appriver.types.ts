// Wire shapes of the Secure Cloud API (PascalCase, as documented) and the typed results the client returns.
// Wire types never leave appriver.client.ts / appriver-oauth.client.ts; callers see the Ar* results only.

export interface ArWireCustomer {
  CustomerId: string;
  CustomerNumber?: string;
  Name: string;
  CustomerType?: string;
  IsClosed?: boolean;
  ExternalCustomerAccountNumber?: string | null;
  Website?: string | null;
  Currency?: string;
  CustomerSince?: string;
}

export interface ArWireCustomersPage {
  Customers: ArWireCustomer[];
  Links?: { NextPageLimit?: number; NextPageOffset?: number };
  Meta?: { Page?: { Total?: number } };
}

export interface ArWireSubscription {
  SubscriptionKey: string;
  ProductName: string;
  SubscriptionStatus?: string;
  IsTrial?: boolean;
  SubscriptionTerm?: string;
  BillingFrequency?: string;
}

export interface ArWireNameValue {
  Name: string;
  Value: string | null;
}

export interface ArWireSubscriptionDetail extends ArWireSubscription {
  Categories?: string[];
  Domain?: string;
  ExpirationBehavior?: string;
  StartDate?: string;
  ExpirationDate?: string;
  ConfigurableSubscriptionDetails?: ArWireNameValue[];
  ReadonlySubscriptionDetails?: ArWireNameValue[];
}

export interface ArWireTokenResponse {
  access_token: string;
  token_type?: string;
  expires_in?: number | string;
  refresh_token?: string;
  scope?: string;
}

/** The error envelope of the resource API (Unity platform) and of the token endpoint. */
export interface ArWireError {
  statusCode?: number;
  requestId?: string;
  error?: string;
  error_description?: string;
  Message?: string;
}

/** An AppRiver end customer. `externalAccountNumber` is the best key for matching to a ConnectWise company. */
export interface ArCustomer {
  customerId: string;
  customerNumber: string | null;
  name: string;
  /** Resold, Direct, Partner, Referred (as AppRiver spells them). */
  customerType: string | null;
  isClosed: boolean;
  externalAccountNumber: string | null;
  website: string | null;
}

export interface ArSubscription {
  subscriptionKey: string;
  productName: string;
  status: string | null;
  isTrial: boolean;
  term: string | null;
  frequency: string | null;
}

/** Quantities are null when AppRiver did not send them: null is "unknown", never zero. */
export interface ArSubscriptionDetail extends ArSubscription {
  /** The billable quantity (ConfigurableSubscriptionDetails SubscriptionQuantity). */
  quantity: number | null;
  /** May aggregate several subscriptions of one product, so it never replaces `quantity`. */
  totalLicenses: number | null;
  assignedLicenses: number | null;
  unassignedLicenses: number | null;
  commitmentEndDate: string | null;
  domain: string | null;
}

export interface ArTokenSet {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  scope: string;
}
