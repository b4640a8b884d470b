import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { VendorAccount } from '../appriver/vendor.entities';
import { AuditService } from '../audit/audit.service';
import { AccountMapping } from '../mapping/mapping.entities';
import { SettingsService } from '../review/settings.service';
import { UsageQuery, UsageService } from '../review/usage.service';
import type { MemberClaims } from '../session/session-token';
import type { UsageLine } from '../sync/sync.entities';
import { SyncService, SyncStatus } from '../sync/sync.service';
import type { TenantSettings } from '../tenants/tenant.entity';
import { TenantsService } from '../tenants/tenants.service';
import { ScreenModels } from './screen-models';

/** Lines on one page of the Usage screen. */
export const USAGE_PAGE_SIZE = 50;
/** Events on one page of the Audit screen. */
export const AUDIT_PAGE_SIZE = 50;

export const KINDS = ['increase', 'decrease', 'new', 'cancel', 'needs_attention', 'in_sync'] as const;
type Kind = (typeof KINDS)[number];
const KIND_LABELS: Record<Kind, string> = {
  increase: 'Increase',
  decrease: 'Decrease',
  new: 'New',
  cancel: 'Cancel',
  needs_attention: 'Needs attention',
  in_sync: 'In sync',
};
const KIND_BADGES: Record<Kind, string> = {
  increase: 'badge-info',
  decrease: 'badge-info',
  new: 'badge-info',
  cancel: 'badge-bad',
  needs_attention: 'badge-warn',
  in_sync: 'badge-ok',
};

export const REVIEW_STATUSES = ['pending', 'approved', 'written', 'failed', 'stale', 'dismissed'] as const;
type ReviewStatus = (typeof REVIEW_STATUSES)[number];
const STATUS_VIEW: Record<ReviewStatus, { label: string; badge: string; filter: string }> = {
  pending: { label: 'To review', badge: '', filter: 'To review' },
  approved: { label: 'Writing…', badge: 'badge-info', filter: 'Approved, writing' },
  written: { label: 'Written', badge: 'badge-ok', filter: 'Written' },
  failed: { label: 'Failed', badge: 'badge-bad', filter: 'Failed' },
  stale: { label: 'Stale', badge: 'badge-warn', filter: 'Stale' },
  dismissed: { label: 'Dismissed', badge: 'badge-muted', filter: 'Dismissed' },
};

/** Kinds that change what ConnectWise bills when approved. */
const ACTIONABLE: readonly string[] = ['increase', 'decrease', 'new', 'cancel'];
/** Review statuses a line can still be approved or dismissed from. */
const OPEN: readonly string[] = ['pending', 'failed', 'stale'];

const SORTS = [
  { key: 'company', label: 'Company (A–Z)', dir: 'ascending' },
  { key: 'difference', label: 'Largest difference', dir: 'descending' },
  { key: 'revenue', label: 'Largest revenue change', dir: 'descending' },
  { key: 'service', label: 'Product ID (A–Z)', dir: 'ascending' },
] as const;
type SortKey = (typeof SORTS)[number]['key'];

/** The audit actions people filter by, grouped, with the words the screen uses for them. */
export const AUDIT_ACTIONS: { group: string; actions: [string, string][] }[] = [
  {
    group: 'Review and write-back',
    actions: [
      ['usage_approved', 'Usage approved'],
      ['usage_dismissed', 'Usage dismissed'],
      ['usage_note', 'Note on a line'],
      ['addition_written', 'Addition written'],
      ['write_stale', 'Write skipped (stale)'],
      ['write_failed', 'Write failed'],
    ],
  },
  {
    group: 'Mapping',
    actions: [
      ['account_mapped', 'Account mapped'],
      ['account_unmapped', 'Account unmapped'],
      ['account_excluded', 'Account excluded'],
      ['account_included', 'Account included'],
      ['service_mapped', 'Service mapped'],
      ['service_unmapped', 'Service unmapped'],
      ['setup_finished', 'Setup finished'],
    ],
  },
  {
    group: 'Connection, sync and settings',
    actions: [
      ['install', 'Installed'],
      ['reinstall', 'Reinstalled'],
      ['uninstall', 'Uninstalled'],
      ['sign_in', 'Signed in'],
      ['appriver_credentials_saved', 'AppRiver credentials saved'],
      ['appriver_connected', 'AppRiver connected'],
      ['appriver_authorize_failed', 'AppRiver sign-in failed'],
      ['appriver_reauth_required', 'AppRiver needs reconnecting'],
      ['appriver_disconnected', 'AppRiver disconnected'],
      ['sync_failed', 'Sync failed'],
      ['settings_changed', 'Settings changed'],
    ],
  },
];
const ACTION_LABELS = new Map(AUDIT_ACTIONS.flatMap((g) => g.actions));
const ACTION_TONES: Record<string, string> = {
  addition_written: 'badge-ok',
  usage_approved: 'badge-info',
  write_stale: 'badge-warn',
  write_failed: 'badge-bad',
  sync_failed: 'badge-bad',
  appriver_reauth_required: 'badge-warn',
  appriver_authorize_failed: 'badge-bad',
};

const MINUS = '\u2212';

// ---- formatting ------------------------------------------------------------------------------------------

/** A quantity as people write it: 21, 2.5, or — when unknown. */
export function qtyText(value: number | null | undefined): string {
  if (value == null) return '—';
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

function usd(value: number): string {
  return value.toLocaleString('en-US', { style: 'currency', currency: 'USD' });
}

/** +$22.00 / −$15.00 / $0.00, with a class for the colour. */
export function signedMoney(value: number | null | undefined): { text: string; cls: string } {
  if (value == null) return { text: '—', cls: '' };
  const rounded = Math.round(value * 100) / 100;
  if (rounded > 0) return { text: `+${usd(rounded)}`, cls: 'up' };
  if (rounded < 0) return { text: `${MINUS}${usd(-rounded)}`, cls: 'down' };
  return { text: usd(0), cls: '' };
}

/** +1 / −3 / 0, with a class for the colour. */
export function signedQty(value: number | null | undefined): { text: string; cls: string } {
  if (value == null) return { text: '—', cls: '' };
  if (value > 0) return { text: `+${qtyText(value)}`, cls: 'up' };
  if (value < 0) return { text: `${MINUS}${qtyText(-value)}`, cls: 'down' };
  return { text: '0', cls: '' };
}

/** A moment for <time>: machine-readable ISO and a UTC text the browser replaces with local time. */
export function moment(value: Date | string | null | undefined): { iso: string; text: string } | null {
  if (!value) return null;
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  return { iso: d.toISOString(), text: `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` };
}

/** "Product|Term|Frequency, …" as the AppRiver console shows it. */
function servicesText(label: string): string {
  return label.replace(/\|/g, ' · ');
}

function comparable(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** Query string of a screen link, without empty values. */
function params(values: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(values))
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  return p.toString();
}

function pick<T extends string>(value: string | undefined, allowed: readonly T[]): T | '' {
  return (allowed as readonly string[]).includes(value ?? '') ? (value as T) : '';
}

function text(value: string | undefined, max = 100): string {
  return (value ?? '').trim().slice(0, max);
}

function pager(total: number, page: number, pageSize: number, base: Record<string, string>) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return {
    page,
    pages,
    from: total ? (page - 1) * pageSize + 1 : 0,
    to: Math.min(total, page * pageSize),
    total,
    show: pages > 1,
    prev: page > 1 ? params({ ...base, page: page - 1 }) : null,
    next: page < pages ? params({ ...base, page: page + 1 }) : null,
  };
}

/** A JSON value, short: strings as they are, objects compact, long ones cut. */
function short(value: unknown, max = 80): string {
  if (value === undefined || value === null || value === '') return '—';
  const out = typeof value === 'string' ? value : JSON.stringify(value);
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export interface AuditChanges {
  /** Keys both sides have, with a different value: key from → to. */
  changed: { key: string | null; from: string; to: string }[];
  /** Keys only before or only after has (null values left out), and whether to label them. */
  before: { key: string; value: string }[];
  after: { key: string; value: string }[];
  labelled: boolean;
  none: boolean;
}

/** What changed between an audit event's before and after, compact, for the Audit screen. */
export function auditChanges(before: unknown, after: unknown): AuditChanges {
  const out: AuditChanges = { changed: [], before: [], after: [], labelled: false, none: false };
  if (isPlain(before) || isPlain(after)) {
    const b = isPlain(before) ? before : {};
    const a = isPlain(after) ? after : {};
    for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
      const inB = key in b && b[key] !== null;
      const inA = key in a && a[key] !== null;
      if (inB && inA) {
        if (JSON.stringify(b[key]) !== JSON.stringify(a[key]))
          out.changed.push({ key, from: short(b[key]), to: short(a[key]) });
      } else if (inB) out.before.push({ key, value: short(b[key]) });
      else if (inA) out.after.push({ key, value: short(a[key]) });
    }
    out.before = out.before.slice(0, 6);
    out.after = out.after.slice(0, 6);
    out.changed = out.changed.slice(0, 8);
    out.labelled = out.before.length > 0 || (isPlain(before) && out.after.length > 0);
  } else if (before != null || after != null) {
    out.changed.push({ key: null, from: short(before), to: short(after) });
  }
  out.none = !out.changed.length && !out.before.length && !out.after.length;
  return out;
}

// ---- the screens -----------------------------------------------------------------------------------------

type UsageFilters = {
  kind: Kind | '';
  status: ReviewStatus | '';
  company: string;
  service: string;
  sort: string;
};

/** The month's work: Usage (+ the unmapped queue), the Company pod, Audit and Settings. */
@Injectable()
export class ReviewScreens implements OnModuleInit {
  constructor(
    private readonly screens: ScreenModels,
    private readonly usage: UsageService,
    private readonly sync: SyncService,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly tenants: TenantsService,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.screens.register('usage', (m, q) => this.usageScreen(m, q));
    this.screens.register('unmapped', (m) => this.unmappedScreen(m));
    this.screens.register('pod', (m, q) => this.pod(m, q));
    this.screens.register('audit', (m, q) => this.auditScreen(m, q));
    this.screens.register('settings', (m) => this.settingsScreen(m));
  }

  // ---- usage ----

  private filters(query: Record<string, string>): UsageFilters {
    const sortKey = (query.sort ?? '').replace(/^-/, '');
    const sort = SORTS.some((s) => s.key === sortKey) ? query.sort : '';
    return {
      kind: pick(query.kind, KINDS),
      status: pick(query.status, REVIEW_STATUSES),
      company: text(query.company),
      service: text(query.service),
      sort: sort === 'company' ? '' : sort,
    };
  }

  async usageScreen(member: MemberClaims, query: Record<string, string>) {
    const f = this.filters(query);
    const page = Math.max(1, Math.floor(Number(query.page)) || 1);
    const q: UsageQuery = { ...f, page, pageSize: USAGE_PAGE_SIZE };
    const [list, status, tenant] = await Promise.all([
      this.usage.list(member.tenantId, q),
      this.sync.status(member.tenantId),
      this.tenants.get(member.tenantId),
    ]);
    const sync = this.syncModel(status);
    const base = { view: 'usage' };
    if (!list.run || !list.summary) {
      return {
        ...base,
        model: { run: null, sync, setupComplete: tenant.setupComplete, filters: f },
      };
    }
    const rows = list.items.map((l) => this.lineRow(l));
    const s = list.summary;
    const filtered = Boolean(f.kind || f.status || f.company || f.service);
    const keep = { kind: f.kind, status: f.status, company: f.company, service: f.service, sort: f.sort };
    const sortKey = (f.sort || 'company').replace(/^-/, '') as SortKey;
    const reversed = f.sort.startsWith('-');
    const sortHeader = (key: SortKey) => {
      const def = SORTS.find((x) => x.key === key)!;
      const active = key === sortKey;
      const flip = (d: string) => (d === 'ascending' ? 'descending' : 'ascending');
      const dir = active ? (reversed ? flip(def.dir) : def.dir) : 'none';
      const next = active && !reversed ? `-${key}` : key;
      return {
        key,
        ariaSort: dir,
        arrow: dir === 'ascending' ? '▲' : dir === 'descending' ? '▼' : '',
        params: params({ ...keep, sort: next === 'company' ? '' : next }),
      };
    };
    const approvable = rows.filter((r) => r.canApprove && !r.needsQty);
    return {
      ...base,
      model: {
        run: { id: list.run.id, finished: moment(list.run.finishedAt) },
        sync,
        setupComplete: tenant.setupComplete,
        tiles: {
          toReview: s.toReview,
          revenue: signedMoney(s.revenueChange),
          unmapped: s.unmapped,
          written: s.written,
        },
        allInSync: s.toReview === 0 && rows.length > 0,
        filters: f,
        filtered,
        kindOptions: KINDS.map((k) => ({
          key: k,
          label: `${KIND_LABELS[k]} (${s.kinds[k] ?? 0})`,
          selected: k === f.kind,
        })),
        needsReviewCount: KINDS.filter((k) => k !== 'in_sync').reduce((n, k) => n + (s.kinds[k] ?? 0), 0),
        statusOptions: REVIEW_STATUSES.map((k) => ({
          key: k,
          label: STATUS_VIEW[k].filter,
          selected: k === f.status,
        })),
        sortOptions: [
          ...SORTS.map((x): { key: string; label: string; selected: boolean } => ({
            key: x.key,
            label: x.label,
            selected: x.key === sortKey && !reversed,
          })),
          ...(reversed
            ? [
                {
                  key: f.sort,
                  label: `${SORTS.find((x) => x.key === sortKey)!.label}, reversed`,
                  selected: true,
                },
              ]
            : []),
        ],
        sortHeaders: {
          company: sortHeader('company'),
          service: sortHeader('service'),
          difference: sortHeader('difference'),
          revenue: sortHeader('revenue'),
        },
        rows,
        total: list.total,
        approvableCount: approvable.length,
        selectableCount: rows.filter((r) => r.selectable).length,
        pager: pager(list.total, list.page, list.pageSize, keep),
        csvQuery: params(keep),
        clearParams: params({ sort: f.sort }),
      },
    };
  }

  private syncModel(s: SyncStatus) {
    const running = s.state === 'queued' || s.state === 'running';
    return {
      state: s.state,
      running,
      failed: s.state === 'failed',
      error: s.error,
      progress: s.progress.total ? `${s.progress.done}/${s.progress.total}` : '',
      latestCompletedRunId: s.latestCompletedRunId,
    };
  }

  private lineRow(l: UsageLine) {
    const kind = (KINDS as readonly string[]).includes(l.kind) ? (l.kind as Kind) : 'needs_attention';
    const statusKey = (REVIEW_STATUSES as readonly string[]).includes(l.reviewStatus)
      ? l.reviewStatus
      : 'pending';
    const open = OPEN.includes(statusKey);
    // Needs attention: only when one addition is known can a quantity be written, and the person types it.
    const needsQty = kind === 'needs_attention' && l.additionId != null && l.agreementId != null;
    const canApprove = open && (ACTIONABLE.includes(kind) || needsQty);
    const canDismiss = open && kind !== 'in_sync';
    const status =
      kind === 'in_sync' && statusKey === 'pending'
        ? { key: 'in_sync', label: 'Nothing to do', badge: 'badge-muted', busy: false }
        : { key: statusKey, ...STATUS_VIEW[statusKey], busy: statusKey === 'approved' };
    const label = `${l.companyName || l.accountName} ${l.productIdentifier}`.trim();
    const approved = l.approvedQty != null && ['approved', 'written', 'failed', 'stale'].includes(statusKey);
    return {
      id: l.id,
      label,
      companyId: l.companyId,
      companyName: l.companyName || l.accountName,
      accountName: l.accountName,
      showAccount: Boolean(l.accountName) && comparable(l.accountName) !== comparable(l.companyName),
      product: l.productIdentifier || `Product #${l.productId}`,
      services: servicesText(l.serviceLabel),
      vendorQty: qtyText(l.vendorQty),
      psaQty: qtyText(l.psaQty),
      diff: signedQty(l.difference),
      kind: { key: kind, label: KIND_LABELS[kind], badge: KIND_BADGES[kind] },
      reasonText: kind === 'needs_attention' ? l.reasonText : null,
      unitPrice: l.unitPrice == null ? null : usd(l.unitPrice),
      revenue: ACTIONABLE.includes(kind) ? signedMoney(l.revenueChange) : { text: '—', cls: '' },
      status,
      error: statusKey === 'failed' || statusKey === 'stale' ? l.error : null,
      /** Under the status: the quantity approved or written and by whom. */
      meta: approved
        ? `Qty ${qtyText(l.approvedQty)}${l.reviewedBy ? ` · ${l.reviewedBy}` : ''}`
        : statusKey === 'dismissed' && l.reviewedBy
          ? `by ${l.reviewedBy}`
          : null,
      note: l.note,
      canApprove,
      needsQty,
      canDismiss,
      selectable: canApprove || canDismiss,
      qtyDefault: l.vendorQty ?? '',
      /** The pod approves at the AppRiver quantity only; a typed quantity needs the Usage screen. */
      podApprove: canApprove && !needsQty,
      podStatus: statusKey !== 'pending' || !(canApprove && !needsQty),
      approveLabel: kind === 'cancel' ? 'Approve cancel' : `Approve ${qtyText(l.vendorQty)}`,
      /** Changes when the row should be re-rendered (polling after an approval). */
      version: [statusKey, l.approvedQty ?? '', l.error ?? '', l.note ?? ''].join('|'),
    };
  }

  async unmappedScreen(member: MemberClaims) {
    const [queue, list] = await Promise.all([
      this.usage.unmappedQueue(member.tenantId),
      this.usage.list(member.tenantId, { pageSize: 10 }),
    ]);
    const items = queue.items.map((i) => ({
      kind: i.kind,
      kindLabel: i.kind === 'account' ? 'Account not mapped' : 'Service not mapped',
      account: i.account || `AppRiver account #${i.accountId}`,
      service: i.service ? servicesText(i.service) : null,
      quantity: qtyText(i.quantity),
      screen: i.kind === 'account' ? 'accounts' : 'services',
      fix: i.kind === 'account' ? 'Map the account' : 'Map the service',
    }));
    return {
      view: 'unmapped',
      model: {
        run: list.run ? { id: list.run.id, finished: moment(list.run.finishedAt) } : null,
        items,
        accounts: items.filter((i) => i.kind === 'account').length,
        services: items.filter((i) => i.kind === 'service').length,
      },
    };
  }

  // ---- the Company pod ----

  async pod(member: MemberClaims, query: Record<string, string>) {
    const companyId = /^\d+$/.test(query.company ?? '') ? Number(query.company) : null;
    if (companyId === null) return { view: 'pod', model: { noCompany: true } };
    const company = String(companyId);
    const [open, inSync] = await Promise.all([
      this.usage.list(member.tenantId, { company, pageSize: 100, sort: 'difference' }),
      this.usage.list(member.tenantId, { company, kind: 'in_sync', pageSize: 100 }),
    ]);
    if (!open.run) return { view: 'pod', model: { noRun: true } };
    const showInSync = open.items.length === 0;
    const lines = (showInSync ? inSync.items : open.items).map((l) => this.lineRow(l));
    let mapping: { accounts: string; excluded: boolean } | null = null;
    if (!open.total && !inSync.total) {
      const mappings = await this.dataSource
        .getRepository(AccountMapping)
        .find({ where: { tenantId: member.tenantId, psaCompanyId: companyId } });
      if (mappings.length) {
        const accounts = await this.dataSource.getRepository(VendorAccount).find({
          where: { tenantId: member.tenantId, id: In(mappings.map((m) => m.accountId)) },
          select: { id: true, name: true },
        });
        mapping = {
          accounts: accounts.map((a) => a.name).join(', '),
          excluded: mappings.every((m) => m.excluded),
        };
      }
    }
    const first = open.items[0] ?? inSync.items[0];
    const toReview = lines.filter((l) => l.canDismiss).length;
    return {
      view: 'pod',
      model: {
        companyId,
        companyName: first ? first.companyName : null,
        run: { id: open.run.id, finished: moment(open.run.finishedAt) },
        lines,
        toReview,
        showInSync,
        hiddenInSync: showInSync ? 0 : inSync.total,
        empty: lines.length === 0,
        mapping,
      },
    };
  }

  // ---- audit ----

  async auditScreen(member: MemberClaims, query: Record<string, string>) {
    const action = ACTION_LABELS.has(query.action ?? '') ? query.action : '';
    const actor = text(query.actor);
    const page = Math.max(1, Math.floor(Number(query.page)) || 1);
    const list = await this.audit.list(member.tenantId, {
      action: action || undefined,
      actor: actor || undefined,
      page,
      pageSize: AUDIT_PAGE_SIZE,
    });
    return {
      view: 'audit',
      model: {
        action,
        actor,
        filtered: Boolean(action || actor),
        groups: AUDIT_ACTIONS.map((g) => ({
          group: g.group,
          actions: g.actions.map(([key, label]) => ({ key, label, selected: key === action })),
        })),
        rows: list.items.map((e) => ({
          id: e.id,
          at: moment(e.at),
          actor: e.actor,
          action: e.action,
          actionLabel: ACTION_LABELS.get(e.action) ?? e.action.replace(/_/g, ' '),
          tone: ACTION_TONES[e.action] ?? '',
          summary: e.summary,
          entity: e.entityId ? `${e.entity.replace(/_/g, ' ')} ${e.entityId}` : e.entity.replace(/_/g, ' '),
          additionId: e.additionId,
          changes: auditChanges(e.before, e.after),
        })),
        total: list.total,
        pager: pager(list.total, list.page, list.pageSize, { action, actor }),
      },
    };
  }

  // ---- settings ----

  async settingsScreen(member: MemberClaims) {
    const s: TenantSettings = await this.settings.get(member.tenantId);
    const hour = `${String(s.scheduleHour).padStart(2, '0')}:00 UTC`;
    const option = <T extends string>(value: T, choices: [T, string, string?][]) =>
      choices.map(([key, label, hint]) => ({ key, label, hint: hint ?? null, checked: key === value }));
    return {
      view: 'settings',
      model: {
        s,
        scheduleText:
          s.schedule === 'off'
            ? 'Off: only Finish and Sync now start a sync'
            : s.schedule === 'weekly'
              ? `Weekly, Mondays at ${hour}`
              : `Daily at ${hour}`,
        schedules: option(s.schedule, [
          ['daily', 'Daily'],
          ['weekly', 'Weekly (Mondays)'],
          ['off', 'Off'],
        ]),
        effectiveDates: option(s.effectiveDate, [
          [
            'first_of_next_month',
            'First of next month',
            'New additions start, and cancellations end, on the 1st.',
          ],
          ['today', 'Today', 'Changes take effect on the day they are written.'],
        ]),
        zeroPolicies: option(s.zeroQuantityPolicy, [
          ['cancel', 'Cancel the addition', 'Sets its cancelled date (default).'],
          ['zero', 'Set the quantity to 0', 'The addition stays, billing nothing.'],
          ['flag', 'Only flag it', 'Nothing is written; the line is marked for you to handle.'],
        ]),
        effectiveText: s.effectiveDate === 'today' ? 'Today' : 'First of next month',
        zeroText:
          s.zeroQuantityPolicy === 'cancel'
            ? 'Cancel the addition'
            : s.zeroQuantityPolicy === 'zero'
              ? 'Set the quantity to 0'
              : 'Only flag it',
      },
    };
  }
}
