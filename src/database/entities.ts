import { AppRiverConnection, OAuthState } from '../appriver/appriver-connection.entity';
import { VendorAccount, VendorService, VendorSubscription } from '../appriver/vendor.entities';
import { AccountMapping, ServiceMapping, Suggestion } from '../mapping/mapping.entities';
import { AuditEvent } from '../audit/audit-event.entity';
import { WriteBack } from '../review/review.entities';
import { SyncRun, UnmappedItem, UsageLine } from '../sync/sync.entities';
import { Tenant } from '../tenants/tenant.entity';

export const ENTITIES = [
  Tenant,
  AppRiverConnection,
  OAuthState,
  VendorAccount,
  VendorService,
  VendorSubscription,
  AccountMapping,
  ServiceMapping,
  Suggestion,
  SyncRun,
  UsageLine,
  UnmappedItem,
  WriteBack,
  AuditEvent,
];
