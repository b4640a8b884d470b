import { Inject, Injectable, Optional } from '@nestjs/common';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { SANDBOX_STATE_FILE, WORLD } from '../sandbox.tokens';
import { World, WorldAgreement, WorldCatalogItem, WorldCompany } from '../world';
import { cwNotFound } from './cw-sim.errors';
import {
  Addition,
  Agreement,
  BILL_CUSTOMER,
  BillCustomer,
  CatalogItem,
  CLOUD_SUBCATEGORY,
  Company,
  HOSTED_SCREENS,
  HOSTED_SETUP_TYPES,
  HostedScreen,
  HostedSetup,
  idsByName,
  isoSeconds,
  MENU_LOCATIONS,
  MenuEntry,
  money,
  MONTHLY,
  todayMidnightUtc,
  withoutNulls,
} from './cw-sim.resources';
import { applyPatch, BodyReader, parsePatch } from './cw-sim.validation';

/** An addition as the simulator stores it; `additionShape` turns it into the API record. */
interface StoredAddition {
  id: number;
  productId: number;
  quantity: number;
  lessIncluded: number;
  unitPrice: number;
  unitCost: number;
  billCustomer: BillCustomer;
  effectiveDate: string | null;
  cancelledDate: string | null;
  description: string | null;
  invoiceDescription: string | null;
  lastUpdated: string;
}

interface StoredAgreement extends Omit<WorldAgreement, 'additions'> {
  additions: StoredAddition[];
}

/** The fields a client may write on an addition (POST/PUT body, PATCH paths). */
type AdditionInput = Omit<StoredAddition, 'id' | 'lastUpdated'>;
type HostedSetupInput = Omit<HostedSetup, 'id' | 'createdBy' | 'dateCreated'>;
type MenuEntryInput = Omit<MenuEntry, 'id'>;

const ADDITION_PATCHABLE = [
  'quantity',
  'lessIncluded',
  'unitPrice',
  'unitCost',
  'effectiveDate',
  'cancelledDate',
  'description',
  'invoiceDescription',
  'billCustomer',
] as const;
const HOSTED_SETUP_PATCHABLE = [
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
] as const;
const MENU_ENTRY_PATCHABLE = [
  'caption',
  'link',
  'newWindowFlag',
  'origin',
  'clientId',
  'menuLocation',
  'locationIds',
] as const;

/** Who makes a change, for `createdBy`, and the request's clientId, the default of the `clientId` fields. */
export interface WriteContext {
  memberIdentifier: string;
  clientId: string;
}

const byId = <T extends { id: number }>(a: T, b: T) => a.id - b.id;

/**
 * The simulated ConnectWise's data: a mutable deep copy of `world.connectwise` (the injected world stays
 * pristine) plus the hosted setups and menu entries the installer registers. Reads return records in the
 * API's shape with every field present; writes validate like ConnectWise and throw its error answers.
 */
@Injectable()
export class CwSimState {
  private companies: WorldCompany[] = [];
  private catalog: WorldCatalogItem[] = [];
  private agreements: StoredAgreement[] = [];
  private hostedSetupList: HostedSetup[] = [];
  private menuEntryList: MenuEntry[] = [];
  /** Next free id per kind; ids are never reused after a delete, as with SQL identity columns. */
  private nextId = { addition: 1, hostedSetup: 1, menuEntry: 1 };
  private companyStatusIds = new Map<string, number>();
  private agreementTypeIds = new Map<string, number>();
  /** `_info.lastUpdated` of everything the world loaded: the moment the state was (re)built. */
  private loadedAt = '';

  constructor(
    @Inject(WORLD) private readonly world: World,
    /** When set, what was written survives a restart of the process (the sandbox remembers, like ConnectWise). */
    @Optional() @Inject(SANDBOX_STATE_FILE) private readonly stateFile: string | null = null,
  ) {
    if (!this.restore()) this.reset();
  }

  /** Back to the world as loaded: every write, hosted setup and menu entry is forgotten. */
  reset(): void {
    this.load();
    this.persist();
  }

  private load(): void {
    const cw = structuredClone(this.world.connectwise);
    this.loadedAt = isoSeconds(new Date());
    this.companies = cw.companies.sort(byId);
    this.catalog = cw.catalog.sort(byId);
    const catalogById = new Map(this.catalog.map((item) => [item.id, item]));
    this.agreements = cw.agreements.sort(byId).map((agreement) => ({
      ...agreement,
      additions: agreement.additions.sort(byId).map((addition) => ({
        ...addition,
        // ConnectWise copies the product's description onto a new addition.
        description: catalogById.get(addition.productId)?.description ?? null,
        invoiceDescription: null,
        lastUpdated: this.loadedAt,
      })),
    }));
    this.hostedSetupList = [];
    this.menuEntryList = [];
    const additionIds = this.agreements.flatMap((a) => a.additions.map((x) => x.id));
    this.nextId = { addition: Math.max(0, ...additionIds) + 1, hostedSetup: 1, menuEntry: 1 };
    this.companyStatusIds = idsByName(this.companies.map((c) => c.status));
    this.agreementTypeIds = idsByName(this.agreements.map((a) => a.type));
  }

  /** What GET /sandbox/cw/state shows: registrations and every agreement with its current additions. */
  snapshot() {
    return withoutNulls({
      hostedSetups: this.hostedSetups(),
      menuEntries: this.menuEntries(),
      agreements: this.agreements.map((a) => ({
        ...this.agreementShape(a),
        additions: this.additions(a.id),
      })),
    });
  }

  // --- companies, agreements, catalog (read-only) -------------------------------------------------

  listCompanies(): Company[] {
    return this.companies.map((c) => this.companyShape(c));
  }

  company(id: number): Company {
    const company = this.companies.find((c) => c.id === id);
    if (!company) throw cwNotFound(`Company with id ${id} not found`);
    return this.companyShape(company);
  }

  listAgreements(): Agreement[] {
    return this.agreements.map((a) => this.agreementShape(a));
  }

  agreement(id: number): Agreement {
    return this.agreementShape(this.storedAgreement(id));
  }

  listCatalog(): CatalogItem[] {
    return this.catalog.map((item) => catalogShape(item, this.loadedAt));
  }

  catalogItem(id: number): CatalogItem {
    const item = this.catalog.find((c) => c.id === id);
    if (!item) throw cwNotFound(`Catalog item with id ${id} not found`);
    return catalogShape(item, this.loadedAt);
  }

  // --- agreement additions --------------------------------------------------------------------------

  additions(agreementId: number): Addition[] {
    return this.storedAgreement(agreementId).additions.map((x) => this.additionShape(x, agreementId));
  }

  addition(agreementId: number, id: number): Addition {
    return this.additionShape(this.storedAddition(agreementId, id), agreementId);
  }

  createAddition(agreementId: number, body: unknown): Addition {
    const agreement = this.storedAgreement(agreementId);
    const input = this.readAddition(asObject(body), { checkInactive: true });
    const stored: StoredAddition = { id: this.nextId.addition++, ...input, lastUpdated: now() };
    agreement.additions.push(stored);
    this.persist();
    return this.additionShape(stored, agreementId);
  }

  /** PUT replaces every writable field; what the body leaves out gets its default again. */
  replaceAddition(agreementId: number, id: number, body: unknown): Addition {
    const stored = this.storedAddition(agreementId, id);
    const input = this.readAddition(asObject(body), { checkInactive: true });
    Object.assign(stored, input, { lastUpdated: now() });
    this.persist();
    return this.additionShape(stored, agreementId);
  }

  /** JSON Patch; the patched record is validated as a whole, as ConnectWise does. */
  patchAddition(agreementId: number, id: number, body: unknown): Addition {
    const stored = this.storedAddition(agreementId, id);
    const ops = parsePatch(body, 'addition', ADDITION_PATCHABLE);
    const { id: _id, lastUpdated: _lastUpdated, productId, ...current } = stored;
    const draft = applyPatch({ ...current, product: { id: productId } }, ops);
    // The product cannot be patched here, so an addition for a since-inactivated product stays editable.
    Object.assign(stored, this.readAddition(draft, { checkInactive: false }), { lastUpdated: now() });
    this.persist();
    return this.additionShape(stored, agreementId);
  }

  deleteAddition(agreementId: number, id: number): void {
    const agreement = this.storedAgreement(agreementId);
    this.storedAddition(agreementId, id);
    agreement.additions = agreement.additions.filter((x) => x.id !== id);
    this.persist();
  }

  // --- hosted API: screens, setups (pods/tabs), menu entries ---------------------------------------

  hostedScreens(): HostedScreen[] {
    return HOSTED_SCREENS.map((screen) => ({ ...screen }));
  }

  hostedSetups(): HostedSetup[] {
    return this.hostedSetupList.map((setup) => structuredClone(setup));
  }

  hostedSetup(id: number): HostedSetup {
    return structuredClone(this.storedHostedSetup(id));
  }

  createHostedSetup(body: unknown, ctx: WriteContext): HostedSetup {
    const input = readHostedSetup(asObject(body), ctx.clientId);
    const setup: HostedSetup = {
      id: this.nextId.hostedSetup++,
      ...input,
      createdBy: ctx.memberIdentifier,
      dateCreated: now(),
    };
    this.hostedSetupList.push(setup);
    this.persist();
    return structuredClone(setup);
  }

  replaceHostedSetup(id: number, body: unknown, ctx: WriteContext): HostedSetup {
    const setup = this.storedHostedSetup(id);
    Object.assign(setup, readHostedSetup(asObject(body), ctx.clientId));
    this.persist();
    return structuredClone(setup);
  }

  patchHostedSetup(id: number, body: unknown, ctx: WriteContext): HostedSetup {
    const setup = this.storedHostedSetup(id);
    const ops = parsePatch(body, 'connectWiseHostedSetup', HOSTED_SETUP_PATCHABLE);
    const { id: _id, createdBy: _createdBy, dateCreated: _dateCreated, ...current } = setup;
    Object.assign(setup, readHostedSetup(applyPatch(current, ops), ctx.clientId));
    this.persist();
    return structuredClone(setup);
  }

  deleteHostedSetup(id: number): void {
    this.storedHostedSetup(id);
    this.hostedSetupList = this.hostedSetupList.filter((s) => s.id !== id);
    this.persist();
  }

  menuEntries(): MenuEntry[] {
    return this.menuEntryList.map((entry) => structuredClone(entry));
  }

  menuEntry(id: number): MenuEntry {
    return structuredClone(this.storedMenuEntry(id));
  }

  createMenuEntry(body: unknown, ctx: WriteContext): MenuEntry {
    const input = readMenuEntry(asObject(body), ctx.clientId);
    const entry: MenuEntry = { id: this.nextId.menuEntry++, ...input };
    this.menuEntryList.push(entry);
    this.persist();
    return structuredClone(entry);
  }

  replaceMenuEntry(id: number, body: unknown, ctx: WriteContext): MenuEntry {
    const entry = this.storedMenuEntry(id);
    Object.assign(entry, readMenuEntry(asObject(body), ctx.clientId));
    this.persist();
    return structuredClone(entry);
  }

  patchMenuEntry(id: number, body: unknown, ctx: WriteContext): MenuEntry {
    const entry = this.storedMenuEntry(id);
    const ops = parsePatch(body, 'menuEntry', MENU_ENTRY_PATCHABLE);
    const { id: _id, ...current } = entry;
    Object.assign(entry, readMenuEntry(applyPatch(current, ops), ctx.clientId));
    this.persist();
    return structuredClone(entry);
  }

  deleteMenuEntry(id: number): void {
    this.storedMenuEntry(id);
    this.menuEntryList = this.menuEntryList.filter((e) => e.id !== id);
    this.persist();
  }

  // --- persistence (sandbox only) -------------------------------------------------------------------

  private fingerprint(): string {
    return createHash('sha256').update(JSON.stringify(this.world.connectwise)).digest('hex');
  }

  /** Written atomically (temp file + rename) before the API answers, so a killed process loses nothing it confirmed. */
  private persist(): void {
    if (!this.stateFile) return;
    const data = {
      world: this.fingerprint(),
      agreements: this.agreements,
      hostedSetups: this.hostedSetupList,
      menuEntries: this.menuEntryList,
      nextId: this.nextId,
      loadedAt: this.loadedAt,
    };
    const tmp = `${this.stateFile}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(data));
    fs.renameSync(tmp, this.stateFile);
  }

  /** Picks up the state a previous process left, unless the world file changed since. */
  private restore(): boolean {
    if (!this.stateFile || !fs.existsSync(this.stateFile)) return false;
    try {
      const data = JSON.parse(fs.readFileSync(this.stateFile, 'utf8'));
      if (data.world !== this.fingerprint()) return false;
      this.load();
      this.agreements = data.agreements;
      this.hostedSetupList = data.hostedSetups;
      this.menuEntryList = data.menuEntries;
      this.nextId = data.nextId;
      this.loadedAt = data.loadedAt;
      return true;
    } catch {
      return false;
    }
  }

  // --- internals ------------------------------------------------------------------------------------

  private storedAgreement(id: number): StoredAgreement {
    const agreement = this.agreements.find((a) => a.id === id);
    if (!agreement) throw cwNotFound(`Agreement with id ${id} not found`);
    return agreement;
  }

  private storedAddition(agreementId: number, id: number): StoredAddition {
    const addition = this.storedAgreement(agreementId).additions.find((x) => x.id === id);
    if (!addition) throw cwNotFound(`Addition with id ${id} not found`);
    return addition;
  }

  private storedHostedSetup(id: number): HostedSetup {
    const setup = this.hostedSetupList.find((s) => s.id === id);
    if (!setup) throw cwNotFound(`ConnectWiseHostedSetup with id ${id} not found`);
    return setup;
  }

  private storedMenuEntry(id: number): MenuEntry {
    const entry = this.menuEntryList.find((e) => e.id === id);
    if (!entry) throw cwNotFound(`MenuEntry with id ${id} not found`);
    return entry;
  }

  /**
   * Validates an addition body. `product` is required and resolves by `id` or (case-insensitively, as SQL
   * Server compares) by `identifier`; price, cost and description default from the catalog item, quantity to
   * 0 and the effective date to today.
   */
  private readAddition(body: Record<string, unknown>, options: { checkInactive: boolean }): AdditionInput {
    const r = new BodyReader('addition', body);
    const item = this.resolveProduct(r, options.checkInactive);
    const billCustomer = r.oneOf('billCustomer', BILL_CUSTOMER, { required: true });
    const input: AdditionInput = {
      productId: item?.id ?? 0,
      quantity: r.number('quantity') ?? 0,
      lessIncluded: r.number('lessIncluded') ?? 0,
      unitPrice: r.number('unitPrice') ?? item?.price ?? 0,
      unitCost: r.number('unitCost') ?? item?.cost ?? 0,
      billCustomer: billCustomer ?? 'Billable',
      effectiveDate: r.date('effectiveDate') ?? todayMidnightUtc(),
      cancelledDate: r.date('cancelledDate'),
      description: r.string('description', { max: 6000 }) ?? item?.description ?? null,
      invoiceDescription: r.string('invoiceDescription', { max: 6000 }),
    };
    r.done();
    return input;
  }

  private resolveProduct(r: BodyReader, checkInactive: boolean): WorldCatalogItem | null {
    const ref = r.reference('product', { required: true });
    if (!ref) return null;
    const { id, identifier } = ref;
    let item: WorldCatalogItem | undefined;
    if (id !== undefined && id !== null) {
      item = this.catalog.find((c) => c.id === id);
    } else if (typeof identifier === 'string' && identifier.trim() !== '') {
      const wanted = identifier.toLowerCase();
      item = this.catalog.find((c) => c.identifier.toLowerCase() === wanted);
    } else {
      r.fail('NullValue', 'product', 'The product field needs an id or an identifier.');
      return null;
    }
    if (!item) {
      r.fail('InvalidObject', 'product', `Product ${JSON.stringify(id ?? identifier)} was not found.`);
      return null;
    }
    if (checkInactive && item.inactiveFlag) r.fail('InvalidObject', 'product', 'Product is inactive');
    return item;
  }

  private companyShape(c: WorldCompany): Company {
    return {
      id: c.id,
      identifier: c.identifier,
      name: c.name,
      status: { id: this.companyStatusIds.get(c.status) ?? 0, name: c.status },
      deletedFlag: c.deletedFlag,
      _info: { lastUpdated: this.loadedAt },
    };
  }

  private agreementShape(a: StoredAgreement): Agreement {
    const company = this.companies.find((c) => c.id === a.companyId);
    return {
      id: a.id,
      name: a.name,
      type: { id: this.agreementTypeIds.get(a.type) ?? 0, name: a.type },
      company: { id: a.companyId, identifier: company?.identifier ?? '', name: company?.name ?? '' },
      agreementStatus: a.agreementStatus,
      cancelledFlag: a.cancelledFlag,
      prorateFlag: a.prorateFlag,
      noEndingDateFlag: true,
      billingCycle: { ...MONTHLY },
      _info: { lastUpdated: this.loadedAt },
    };
  }

  private additionShape(x: StoredAddition, agreementId: number): Addition {
    const product = this.catalog.find((c) => c.id === x.productId);
    return {
      id: x.id,
      product: { id: x.productId, identifier: product?.identifier ?? '' },
      quantity: x.quantity,
      lessIncluded: x.lessIncluded,
      unitPrice: x.unitPrice,
      unitCost: x.unitCost,
      billCustomer: x.billCustomer,
      effectiveDate: x.effectiveDate,
      cancelledDate: x.cancelledDate,
      agreementId,
      description: x.description,
      invoiceDescription: x.invoiceDescription,
      taxableFlag: false,
      extPrice: money(x.unitPrice * x.quantity),
      extCost: money(x.unitCost * x.quantity),
      _info: { lastUpdated: x.lastUpdated },
    };
  }
}

function catalogShape(item: WorldCatalogItem, lastUpdated: string): CatalogItem {
  return {
    id: item.id,
    identifier: item.identifier,
    description: item.description,
    customerDescription: item.description,
    inactiveFlag: item.inactiveFlag,
    price: item.price,
    cost: item.cost,
    productClass: 'Service',
    subcategory: { ...CLOUD_SUBCATEGORY },
    _info: { lastUpdated },
  };
}

function readHostedSetup(body: Record<string, unknown>, requestClientId: string): HostedSetupInput {
  const r = new BodyReader('connectWiseHostedSetup', body);
  const screenId = r.integer('screenId', { required: true });
  if (screenId !== null && !HOSTED_SCREENS.some((s) => s.screenId === screenId)) {
    r.fail(
      'InvalidObject',
      'screenId',
      `screenId ${screenId} is not a screen that can host pages; see /system/connectWiseHostedScreens.`,
    );
  }
  const input: HostedSetupInput = {
    screenId: screenId ?? 0,
    description: r.string('description', { required: true, max: 50 }) ?? '',
    url: r.string('url', { required: true, max: 1024 }) ?? '',
    type: r.oneOf('type', HOSTED_SETUP_TYPES, { required: true }) ?? 'Pod',
    origin: r.string('origin', { max: 100 }),
    podHeight: r.integer('podHeight', { min: 0 }),
    // "Only required if not already set": ConnectWise fills it from the request's clientId header.
    clientId: r.string('clientId', { max: 36 }) ?? requestClientId,
    disabledFlag: r.boolean('disabledFlag', false),
    locationsEnabledFlag: r.boolean('locationsEnabledFlag', false),
    locationIds: r.integerArray('locationIds'),
  };
  r.done();
  return input;
}

function readMenuEntry(body: Record<string, unknown>, requestClientId: string): MenuEntryInput {
  const r = new BodyReader('menuEntry', body);
  const input: MenuEntryInput = {
    caption: r.string('caption', { required: true, max: 50 }) ?? '',
    link: r.string('link', { required: true, max: 2000 }) ?? '',
    newWindowFlag: r.boolean('newWindowFlag', false),
    origin: r.string('origin', { max: 100 }),
    clientId: r.string('clientId', { max: 36 }) ?? requestClientId,
    menuLocation: { ...MENU_LOCATIONS[0] },
    locationIds: r.integerArray('locationIds'),
  };
  const ref = r.reference('menuLocation');
  if (ref) {
    const location = MENU_LOCATIONS.find((l) =>
      ref.id !== undefined && ref.id !== null
        ? l.id === ref.id
        : typeof ref.name === 'string' && l.name.toLowerCase() === ref.name.toLowerCase(),
    );
    if (location) input.menuLocation = { ...location };
    else r.fail('InvalidObject', 'menuLocation', `Menu location ${JSON.stringify(ref)} was not found.`);
  }
  r.done();
  return input;
}

/** A body that is not a JSON object reads as empty, so the answer names the missing required fields. */
function asObject(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

const now = () => isoSeconds(new Date());
